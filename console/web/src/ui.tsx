import type { ComponentChildren } from 'preact';
import { links } from './router';

/** A trace id, one click from its trace. */
export function TraceLink({ traceId, label }: { traceId: string | null; label?: string }) {
  if (!traceId) return <span class="muted">no trace id</span>;
  return (
    <a
      class="trace-link mono"
      href={links.trace(traceId)}
      data-trace-id={traceId}
      aria-label={`${label ?? traceId.slice(0, 8)}: trace ${traceId}`}
      title={traceId}
    >
      {label ?? `${traceId.slice(0, 8)}…`}
    </a>
  );
}

/** Text written for the quests' Markdown and the terminal: `code` shown as code, *emphasis* as emphasis, nothing else read as markup. */
export function Prose({ text }: { text: string }) {
  const emphasis = (plain: string, at: number) =>
    plain.split(/\*([^*\s](?:[^*]*[^*\s])?)\*/).map((part, j) => (j % 2 ? <em key={`${at}-${j}`}>{part}</em> : part));
  return <>{text.split(/`([^`]+)`/).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : emphasis(part, i)))}</>;
}

/** A message for the reader: an error, a success, or news (announced to screen readers). */
export function Notice({ kind, children }: { kind: 'error' | 'ok' | 'info'; children: ComponentChildren }) {
  return (
    <p class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </p>
  );
}

export const money = (cents: number | null, currency: string | null) =>
  cents === null ? '—' : new Intl.NumberFormat('en', { style: 'currency', currency: currency ?? 'USD' }).format(cents / 100);

/** Milliseconds as people read them: 0.42 ms, 12.3 ms, 1,204 ms. */
export const ms = (value: number) =>
  `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en')} ms`;

export const clock = (d: Date) => d.toLocaleTimeString('en-GB', { hour12: false });
