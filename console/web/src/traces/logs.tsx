import type { TraceLogsView } from '@tracequest/contracts';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, describeError } from '../http';
import { clock, Notice } from '../ui';
import { ServiceChip } from './chips';

type LoggedError = { type?: string; name?: string; message: string; stack?: string };
const isError = (v: unknown): v is LoggedError => typeof v === 'object' && v !== null && typeof (v as LoggedError).message === 'string';

/** A field's value as a log line has it: strings bare, an error as its type and message (its stack on hover), the rest as JSON. */
const shown = (v: unknown) => (typeof v === 'string' ? v : isError(v) ? `${v.type ?? v.name ?? 'Error'}: ${v.message}` : JSON.stringify(v));

const levelClass = (level: string) => (level === 'error' || level === 'fatal' ? 'bad' : level === 'warn' ? 'faulty' : undefined);

/** A log line's own fields, key=value, an error's stack on hover. */
function LogFields({ fields }: { fields: Record<string, unknown> }) {
  return (
    <>
      {Object.entries(fields).map(([k, v]) => (
        <span key={k} data-field={k} title={isError(v) ? v.stack : undefined}>
          {k}={shown(v)}{' '}
        </span>
      ))}
    </>
  );
}

type LogLine = TraceLogsView['lines'][number];

/** Log lines as a table: time, service, level, message, fields, and a last column of the caller's. */
export function LogTable({
  lines,
  caption,
  last,
}: {
  lines: LogLine[];
  caption: string;
  last: { title: string; cell: (line: LogLine) => ComponentChildren };
}) {
  return (
    <table class="logs">
      <caption class="sr-only">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Service</th>
          <th scope="col">Level</th>
          <th scope="col">Message</th>
          <th scope="col">Fields</th>
          <th scope="col">{last.title}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l, i) => (
          <tr key={i} data-service={l.service} data-level={l.level}>
            <td class="mono small">
              {clock(new Date(l.time))}.{String(l.time % 1000).padStart(3, '0')}
            </td>
            <td>
              <ServiceChip service={l.service} />
            </td>
            <td class={levelClass(l.level)}>{l.level}</td>
            <td>{l.msg}</td>
            <td class="mono small log-fields">
              <LogFields fields={l.fields} />
            </td>
            <td>{last.cell(l)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * The services' log lines that carry this trace's id: the way from a trace to its logs (quest 15).
 * Read again when the trace is reloaded or stops growing (the worker logs later than the checkout).
 */
export function TraceLogs({ traceId, refresh, jump }: { traceId: string; refresh: unknown; jump: (spanId: string) => void }) {
  const [view, setView] = useState<{ id: string; logs: TraceLogsView } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    consoleApi<TraceLogsView>('GET', `/logs/${traceId}`).then((a) => {
      if (cancelled) return;
      if (a.ok && a.data) {
        setView({ id: traceId, logs: a.data });
        setProblem(null);
      } else setProblem(describeError(a));
    });
    return () => {
      cancelled = true;
    };
  }, [traceId, refresh]);
  const logs = view?.id === traceId ? view.logs : null;

  return (
    <section class="panel" aria-labelledby="logs-h">
      <h2 id="logs-h">Log lines of this trace</h2>
      {problem && <Notice kind="error">Could not read the logs: {problem}</Notice>}
      {logs?.source === null && (
        <p class="muted">
          Here the services' logs are in Loki, not in files the console reads: open the trace in Grafana, whose trace view shows each span's
          log lines.
        </p>
      )}
      {logs?.source === 'files' && logs.lines.length === 0 && (
        <p class="muted">
          No line of the services' logs (<code>.run/logs</code>) carries this trace id.
        </p>
      )}
      {logs && logs.lines.length > 0 && (
        <>
          <p class="small muted">
            Every line the services logged inside one of this trace's spans carries its <code>trace_id</code> and <code>span_id</code>: that
            is how a log line and a trace find each other.
          </p>
          <LogTable
            lines={logs.lines}
            caption="Log lines with this trace id"
            last={{
              title: 'Span',
              cell: (l) =>
                l.spanId && (
                  <button type="button" class="link mono small" onClick={() => jump(l.spanId!)} title={`span ${l.spanId}`}>
                    {l.spanId.slice(0, 8)}…
                  </button>
                ),
            }}
          />
        </>
      )}
    </section>
  );
}
