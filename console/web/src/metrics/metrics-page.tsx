import type { SpanMetricsView } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, describeError } from '../http';
import { links } from '../router';
import { ServiceChip } from '../traces/chips';
import { clock, ms, Notice } from '../ui';

type Route = SpanMetricsView['routes'][number];
/** The Collector flushes its span metrics every 5 s, and keeps a bucket's exemplar for one flush. */
const POLL_MS = 5000;
const DEFAULT_SLOW_MS = 500;

const keyOf = (r: Route) => `${r.service} ${r.kind} ${r.name}`;
/** The rate is the calls of the last minute (or of the reads since the tab opened, if fewer). */
const RATE_WINDOW_MS = 60_000;

interface Read {
  at: number;
  calls: Map<string, number>;
}

/** Requests a second over the reads kept, or undefined until there are two of them. */
function ratePerSecond(key: string, reads: Read[]): number | undefined {
  const first = reads[0];
  const last = reads[reads.length - 1];
  if (!first || first === last) return undefined;
  const grew = (last.calls.get(key) ?? 0) - (first.calls.get(key) ?? 0);
  // A Collector restarted in between started its counters again.
  return grew < 0 ? undefined : grew / ((last.at - first.at) / 1000);
}

/** What a route counted since the baseline (counters only grow, unless the Collector restarted). */
function since(route: Route, base: Route | undefined): Route {
  if (!base || base.calls > route.calls) return route;
  return {
    ...route,
    calls: route.calls - base.calls,
    errors: route.errors - base.errors,
    atMost: route.atMost.map((n, i) => n - (base.atMost[i] ?? 0)),
  };
}

/** The smallest bound that holds 95% of the calls, or null when the 95th is past the last bound. */
export function p95Bound(route: Route, boundsMs: number[]): number | null | undefined {
  if (route.calls === 0) return undefined;
  const i = route.atMost.findIndex((n) => n >= 0.95 * route.calls);
  return i < 0 ? null : boundsMs[i];
}

const rate = (perSecond: number | undefined) =>
  perSecond === undefined ? '—' : `${perSecond < 10 ? perSecond.toFixed(2) : perSecond.toFixed(1)}/s`;

export function MetricsPage() {
  const [view, setView] = useState<SpanMetricsView | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [pickedMs, setSlowMs] = useState(DEFAULT_SLOW_MS);
  const [baseline, setBaseline] = useState<{ at: Date; routes: Map<string, Route> } | null>(null);
  const [readAt, setReadAt] = useState<Date | null>(null);
  const [reads, setReads] = useState<Read[]>([]);

  useEffect(() => {
    let stopped = false;
    const read = async () => {
      const a = await consoleApi<SpanMetricsView>('GET', '/metrics');
      if (stopped) return;
      if (a.ok && a.data) {
        const data = a.data;
        const now = Date.now();
        setView(data);
        setProblem(null);
        setReadAt(new Date(now));
        const snapshot = { at: now, calls: new Map(data.routes.map((r) => [keyOf(r), r.calls])) };
        setReads((kept) => [...kept.filter((k) => now - k.at <= RATE_WINDOW_MS), snapshot]);
      } else setProblem(describeError(a));
    };
    void read();
    const timer = setInterval(read, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const bounds = view?.boundsMs ?? [];
  // The threshold is a bucket bound: with buckets configured otherwise, the nearest one above it.
  const slowMs = bounds.includes(pickedMs) ? pickedMs : (bounds.find((b) => b > pickedMs) ?? bounds.at(-1) ?? pickedMs);
  const slowAt = bounds.indexOf(slowMs);
  const rows = (view?.routes ?? [])
    .map((r) => since(r, baseline?.routes.get(keyOf(r))))
    .filter((r) => r.calls > 0)
    .map((r) => ({ route: r, slow: slowAt < 0 ? 0 : r.calls - r.atMost[slowAt], p95: p95Bound(r, bounds) }))
    .sort((a, b) => b.slow - a.slow || (b.p95 ?? Infinity) - (a.p95 ?? Infinity) || b.route.calls - a.route.calls);

  return (
    <div class="page">
      <h1 tabIndex={-1}>Metrics</h1>
      <p class="lead">
        Rate, errors and duration of every service's routes, which the Collector computes from every span it receives (its span metrics). A
        histogram bucket keeps an <em>exemplar</em>: the trace of one request that fell in it, kept until the next flush, every 5 s. Keep
        traffic going to see them.
      </p>
      {problem && <Notice kind="error">Could not read the span metrics: {problem}</Notice>}
      <section class="panel" aria-labelledby="routes-h">
        <div class="panel-head">
          <h2 id="routes-h">Routes, slowest first</h2>
          <form class="inline" onSubmit={(e) => e.preventDefault()}>
            <label>
              Slow means over
              <select value={String(slowMs)} onChange={(e) => setSlowMs(Number(e.currentTarget.value))}>
                {bounds.map((b) => (
                  <option key={b} value={String(b)}>
                    {ms(b)}
                  </option>
                ))}
              </select>
            </label>
            {baseline ? (
              <button type="button" onClick={() => setBaseline(null)}>
                Count from the start
              </button>
            ) : (
              <button
                type="button"
                disabled={!view}
                onClick={() => view && setBaseline({ at: new Date(), routes: new Map(view.routes.map((r) => [keyOf(r), r])) })}
              >
                Count from now
              </button>
            )}
          </form>
        </div>
        <p class="small muted" data-testid="metrics-since">
          {baseline ? `Counted since ${clock(baseline.at)}` : 'Counted since the Collector started'}
          {readAt ? `; read at ${clock(readAt)}, again every 5 s. The rate is over the last minute's reads.` : '.'}
        </p>
        {view && rows.length === 0 && (
          <p class="muted">
            No requests {baseline ? 'since then' : 'yet'}: place a checkout in the Shop tab, or run <code>npm run load -- smoke</code>.
          </p>
        )}
        {rows.length > 0 && (
          <table class="metrics">
            <caption class="sr-only">Requests per service and route</caption>
            <thead>
              <tr>
                <th scope="col">Service</th>
                <th scope="col">Route (span name)</th>
                <th scope="col">Calls</th>
                <th scope="col">Rate</th>
                <th scope="col">Errors</th>
                <th scope="col">p95 at most</th>
                <th scope="col">Over {ms(slowMs)}</th>
                <th scope="col">Exemplars over {ms(slowMs)}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ route: r, slow, p95 }) => {
                const exemplars = r.exemplars.filter((e) => e.ms > slowMs);
                return (
                  <tr key={keyOf(r)} data-route={`${r.service} ${r.name}`}>
                    <td>
                      <ServiceChip service={r.service} />
                    </td>
                    <td class="mono">{r.name}</td>
                    <td>{r.calls}</td>
                    <td data-testid="rate">{rate(ratePerSecond(keyOf(r), reads))}</td>
                    <td class={r.errors ? 'bad' : undefined}>{r.errors}</td>
                    <td>{p95 === undefined ? '—' : p95 === null ? `over ${ms(bounds[bounds.length - 1])}` : ms(p95)}</td>
                    <td class={slow ? 'bad' : undefined} data-testid="slow-count">
                      {slow ? (
                        <a
                          class="slow-search"
                          href={links.search({ service: r.service, operation: r.name, minMs: String(slowMs) })}
                          title={`Find the traces of ${r.service}'s ${r.name} over ${ms(slowMs)}`}
                        >
                          {slow}
                        </a>
                      ) : (
                        slow
                      )}
                    </td>
                    <td>
                      {exemplars.length === 0 && <span class="muted">{slow ? 'none this flush' : '—'}</span>}
                      {exemplars.map((e) => (
                        <a
                          key={`${e.traceId}-${e.spanId}`}
                          class="exemplar mono"
                          href={links.trace(e.traceId, e.spanId ?? undefined)}
                          data-trace-id={e.traceId}
                          title={`trace ${e.traceId}`}
                        >
                          {ms(e.ms)}
                        </a>
                      ))}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
