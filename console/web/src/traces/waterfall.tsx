import { useState } from 'preact/hooks';
import { ms } from '../ui';
import { serviceColor } from './colors';
import type { TraceModel } from './model';
import { SpanDetail } from './span-detail';

const pct = (n: number) => `${Math.max(0, Math.min(100, n)).toFixed(3)}%`;

/**
 * The waterfall is one Tab stop (the row last visited): arrow keys, Home and End move between the
 * rows; Enter or Space opens a row (it is a button); Escape closes the open span around the focus.
 */
function keys(e: KeyboardEvent, toggle: (id: string) => void) {
  const list = e.currentTarget as HTMLElement;
  if (e.key === 'Escape') {
    const item = (e.target as HTMLElement).closest<HTMLElement>('li[data-span-id]');
    const row = item?.querySelector<HTMLElement>('.row');
    if (!item || row?.getAttribute('aria-expanded') !== 'true') return;
    e.preventDefault();
    toggle(item.dataset.spanId!);
    row.focus();
    return;
  }
  const rows = [...list.querySelectorAll<HTMLElement>('.row')];
  const at = rows.indexOf(e.target as HTMLElement);
  if (at < 0) return;
  const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  rows[Math.max(0, Math.min(rows.length - 1, to))].focus();
}

/** The time axis: short labels (a second and more in seconds), so five fit side by side. */
const axisLabel = (atMs: number) => (atMs === 0 ? '0' : atMs >= 1000 ? `${(atMs / 1000).toFixed(2)} s` : ms(atMs));

export function Waterfall({ trace, open, toggle }: { trace: TraceModel; open: ReadonlySet<string>; toggle: (id: string) => void }) {
  const total = trace.duration || 1;
  const [current, setCurrent] = useState<string | null>(null);
  const tabStop = trace.spans.some((s) => s.id === current) ? current : trace.spans[0]?.id;
  return (
    <section class="panel" aria-labelledby="waterfall-h">
      <h2 id="waterfall-h">Waterfall</h2>
      <p class="key small">
        Rows nest under their parent. <span class="crit">◆</span> marks the critical path: the spans the request waited for. <em>Self</em>{' '}
        is the time a span spent outside its children. Start times are whole milliseconds (the SDK reads the wall clock), so a child can
        seem to start or end up to 1 ms outside its parent. Arrow keys move between rows; Enter opens one, Escape closes it.
      </p>
      <div class="wf-head" aria-hidden="true">
        <span>Span</span>
        <span class="scale">
          {[0, 0.25, 0.5, 0.75, 1].map((f) => (
            <span key={f} style={{ left: pct(f * 100) }}>
              {axisLabel((f * total) / 1000)}
            </span>
          ))}
        </span>
        <span class="num">Total</span>
        <span class="num">Self</span>
      </div>
      <ol class="waterfall" onKeyDown={(e) => keys(e, toggle)}>
        {trace.spans.map((s) => (
          <li
            key={s.id}
            data-span-id={s.id}
            data-parent-id={s.parentId ?? ''}
            data-service={s.service}
            data-kind={s.kind}
            data-critical={s.critical ? 'true' : 'false'}
            data-error={s.error ? 'true' : 'false'}
            data-fault={s.fault ?? ''}
            class={s.critical ? 'critical' : undefined}
          >
            <button
              type="button"
              class="row"
              tabIndex={s.id === tabStop ? 0 : -1}
              onFocus={() => setCurrent(s.id)}
              aria-expanded={open.has(s.id)}
              aria-controls={`detail-${s.id}`}
              onClick={() => toggle(s.id)}
            >
              <span class="name" style={{ paddingLeft: `${s.depth * 0.9}em` }} title={`${s.service} ${s.name}`}>
                <span class="swatch" style={{ background: serviceColor(s.service) }} aria-hidden="true" />
                <span class="svc">{s.service}</span>
                <span class="op">{s.name}</span>
                {s.critical && (
                  <span class="crit" title="on the critical path">
                    {' '}
                    ◆<span class="sr-only">on the critical path</span>
                  </span>
                )}
                {s.error && <span class="badge badge-error">error</span>}
                {s.fault && <span class="badge badge-fault">fault: {s.fault}</span>}
              </span>
              <span class="bar-cell" aria-hidden="true">
                <span
                  class={`bar${s.critical ? ' bar-critical' : ''}${s.error ? ' bar-error' : ''}`}
                  style={{
                    left: pct(((s.start - trace.start) / total) * 100),
                    width: pct(Math.max((s.duration / total) * 100, 0.3)),
                    background: serviceColor(s.service),
                  }}
                />
              </span>
              <span class="num" data-total-us={s.duration}>
                <span class="sr-only">total </span>
                {ms(s.duration / 1000)}
              </span>
              <span class="num" data-self-us={s.self}>
                <span class="sr-only">self </span>
                {ms(s.self / 1000)}
              </span>
            </button>
            {open.has(s.id) && <SpanDetail span={s} trace={trace} />}
          </li>
        ))}
      </ol>
    </section>
  );
}
