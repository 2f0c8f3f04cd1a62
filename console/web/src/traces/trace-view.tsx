import type { ConsolePageConfig } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { describeError } from '../http';
import { links } from '../router';
import { clock, ms, Notice } from '../ui';
import { ServiceChip } from './chips';
import { Hops } from './hops';
import { jaeger } from './jaeger';
import { TraceLogs } from './logs';
import { buildTrace, type SpanNode, type TraceModel } from './model';
import { Waterfall } from './waterfall';

const REFRESH_MS = 1500;
/** A trace younger than this may still be growing (the worker's part comes later): refresh it. */
const YOUNG_MS = 60_000;

/** missing: not in Jaeger yet, still asked; absent: still not there after MISSING_MS. */
type Load = { state: 'loading' | 'missing' | 'absent' | 'ok' } | { state: 'error'; message: string };

/** How long a trace Jaeger does not have is asked for again. */
const MISSING_MS = 20_000;

/** Loads a trace, and reloads it while it is young and still growing. */
function useTrace(traceId: string, round: number) {
  // Kept with the id it was loaded for: another trace's waterfall never shows under this id.
  const [loaded, setTrace] = useState<{ id: string; model: TraceModel } | null>(null);
  const trace = loaded?.id === traceId ? loaded.model : null;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [growing, setGrowing] = useState(true);
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const since = Date.now();
    let last = -1;
    let unchanged = 0;
    const tick = async () => {
      const answer = await jaeger.trace(traceId);
      if (cancelled) return;
      const again = () => {
        timer = setTimeout(tick, REFRESH_MS);
      };
      if (answer.ok && answer.data) {
        const model = buildTrace(answer.data);
        setTrace({ id: traceId, model });
        setLoad({ state: 'ok' });
        unchanged = model.spans.length === last ? unchanged + 1 : 0;
        last = model.spans.length;
        const keepGoing = Date.now() - model.start / 1000 < YOUNG_MS && unchanged < 3 && Date.now() - since < 30_000;
        setGrowing(keepGoing);
        if (keepGoing) again();
      } else if (answer.status === 404 && Date.now() - since < MISSING_MS) {
        setLoad({ state: 'missing' });
        again();
      } else {
        setGrowing(false);
        setLoad(answer.status === 404 ? { state: 'absent' } : { state: 'error', message: describeError(answer) });
      }
    };
    setGrowing(true);
    setLoad({ state: 'loading' });
    void tick();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [traceId, round]);
  return { trace, load, growing };
}

function grafanaLink(base: string, traceId: string) {
  const panes = {
    t: {
      datasource: 'tempo',
      queries: [{ refId: 'A', datasource: { type: 'tempo', uid: 'tempo' }, queryType: 'traceql', query: traceId }],
      range: { from: 'now-1h', to: 'now' },
    },
  };
  return `${base}/explore?schemaVersion=1&panes=${encodeURIComponent(JSON.stringify(panes))}`;
}

export function TraceView({ traceId, spanId, config }: { traceId: string; spanId: string | null; config: ConsolePageConfig }) {
  const [round, setRound] = useState(0);
  const { trace, load, growing } = useTrace(traceId, round);
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set(spanId ? [spanId] : []));
  const toggle = (id: string) => setOpen((o) => (o.has(id) ? new Set([...o].filter((x) => x !== id)) : new Set([...o, id])));
  const jump = (s: SpanNode) => {
    setOpen((o) => new Set([...o, s.id]));
    document.querySelector<HTMLElement>(`[data-span-id="${s.id}"] .row`)?.focus();
  };

  return (
    <div class="page trace-page">
      <p>
        <a href={links.search({})}>← Find traces</a>
      </p>
      <h1 tabIndex={-1}>
        Trace <span class="mono">{traceId}</span>
      </h1>
      <div class="trace-actions">
        <button type="button" onClick={() => setRound(round + 1)}>
          Reload
        </button>
        <a href={links.quest(traceId)}>Use in the quest</a>
        {config.jaegerUiUrl && <a href={`${config.jaegerUiUrl}/trace/${traceId}`}>Open in Jaeger UI</a>}
        {config.grafanaUrl && <a href={grafanaLink(config.grafanaUrl, traceId)}>Open in Grafana (Tempo)</a>}
        <span class="muted small" role="status">
          {growing && load.state !== 'error' ? 'Updating while spans arrive…' : ''}
        </span>
      </div>
      {load.state === 'missing' && (
        <Notice kind="info">
          <span data-testid="trace-missing">
            Not in Jaeger (yet): spans arrive a second or two after a request, so the page looks again for {MISSING_MS / 1000} s. A trace
            from before the shop was last started is gone for good: Jaeger starts empty (its log lines, below, are still there).
          </span>
        </Notice>
      )}
      {load.state === 'absent' && (
        <Notice kind="info">
          <span data-testid="trace-absent">
            Not in Jaeger: nothing of this trace arrived in {MISSING_MS / 1000} s. A request sent unsampled (traceparent flags{' '}
            <code>00</code>) is never recorded, nor is one a sampler dropped; and Jaeger forgets every trace when it restarts.
          </span>
        </Notice>
      )}
      {load.state === 'error' && <Notice kind="error">Could not load the trace: {load.message}</Notice>}
      {trace && <Summary trace={trace} jump={jump} />}
      {trace && <Waterfall trace={trace} open={open} toggle={toggle} />}
      {trace && <Hops trace={trace} baggageKeys={config.baggageKeys} />}
      {/* The logs outlive Jaeger's memory: shown for a trace it no longer has, too. */}
      {(trace || load.state === 'missing' || load.state === 'absent') && (
        <TraceLogs
          traceId={traceId}
          refresh={`${round} ${growing}`}
          jump={(id) => {
            const span = trace?.spans.find((s) => s.id === id);
            if (span) jump(span);
          }}
        />
      )}
    </div>
  );
}

function Summary({ trace, jump }: { trace: TraceModel; jump: (s: SpanNode) => void }) {
  const root = trace.roots[0];
  const count = (service: string) => trace.spans.filter((s) => s.service === service).length;
  return (
    <section class="panel summary" aria-label="Summary">
      <p class="facts">
        <span>
          <strong>
            {root.service}: {root.name}
          </strong>
        </span>
        <span>started {clock(new Date(trace.start / 1000))}</span>
        <span>took {ms(trace.duration / 1000)}</span>
        <span>{trace.spans.length} spans</span>
        <span>{trace.services.length === 1 ? '1 service' : `${trace.services.length} services`}</span>
      </p>
      <ul class="legend" aria-label="Services in this trace">
        {trace.services.map((s) => (
          <li key={s} data-service={s}>
            <ServiceChip service={s} /> <span class="muted small">{count(s)}</span>
          </li>
        ))}
      </ul>
      {trace.roots.length > 1 && (
        <Notice kind="info">
          This trace has {trace.roots.length} roots: some spans' parents are missing (not arrived yet, or the context was lost on a hop).
        </Notice>
      )}
      {trace.errors.length > 0 && (
        <div class="callout callout-error">
          <strong>{trace.errors.length === 1 ? '1 span ended in error' : `${trace.errors.length} spans ended in error`}</strong>
          <ul>
            {trace.errors.map((s) => (
              <li key={s.id}>
                <button type="button" class="link" onClick={() => jump(s)}>
                  {s.service}: {s.name}
                </button>{' '}
                {s.statusMessage ?? ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {trace.faults.length > 0 && (
        <div class="callout callout-fault">
          <strong>Faults injected here</strong>
          <ul>
            {trace.faults.map((s) => (
              <li key={s.id}>
                <span class="badge badge-fault">fault: {s.fault}</span>{' '}
                <button type="button" class="link" onClick={() => jump(s)}>
                  {s.service}: {s.name}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
