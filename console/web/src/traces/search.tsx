import { useEffect, useMemo, useState } from 'preact/hooks';
import { describeError, type Outcome, useOutcome } from '../http';
import { links, parseRoute } from '../router';
import { clock, ms, Notice } from '../ui';
import { ServiceChip } from './chips';
import { jaeger } from './jaeger';
import { buildTrace, type TraceModel } from './model';

const LOOKBACKS = ['15m', '1h', '6h', '24h'];
/** The most traces a search fetches to filter by status. */
const MAX_FETCHED = 100;

/** "key=value key2=value2" as Jaeger's tag filter; undefined when a pair is malformed. */
export function parseTags(text: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const pair of text.trim().split(/\s+/).filter(Boolean)) {
    const i = pair.indexOf('=');
    if (i < 1 || i === pair.length - 1) return undefined;
    out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

export function TraceSearch({ query, sampling }: { query: URLSearchParams; sampling: string | null }) {
  const asked = {
    service: query.get('service') ?? '',
    operation: query.get('operation') ?? '',
    status: query.get('status') ?? '',
    minMs: query.get('minMs') ?? '',
    tags: query.get('tags') ?? '',
    lookback: query.get('lookback') ?? '1h',
    limit: query.get('limit') ?? '20',
  };
  const [form, setForm] = useState(asked);
  const [services, setServices] = useState<string[]>([]);
  const [operations, setOperations] = useState<string[]>([]);
  const [openId, setOpenId] = useState('');
  const [openProblem, setOpenProblem] = useState<string | null>(null);
  const key = query.toString();
  // Find traces on the search already shown looks again: the trace waited for may be in by now.
  const [round, setRound] = useState(0);

  useEffect(() => {
    setForm(asked);
    jaeger.services().then((a) => {
      const list = (a.data ?? []).sort();
      setServices(list);
      if (!asked.service && list.length) setForm((f) => ({ ...f, service: list.includes('gateway') ? 'gateway' : list[0] }));
    });
  }, [key]);
  useEffect(() => {
    if (form.service) jaeger.operations(form.service).then((a) => setOperations((a.data ?? []).sort()));
  }, [form.service]);

  // Searches whenever the address names a search (so a search is a link), or at once with defaults.
  const service = asked.service || form.service;
  const outcome = useOutcome(`${key}|${service}|${round}`, () => {
    if (!service) return;
    const tags = parseTags(asked.tags);
    if (!tags) return { data: null, problem: 'Tags must be key=value pairs, separated by spaces.' };
    // Errors are told apart here, from the spans' status: Jaeger's error=true tag search does not
    // find them in its memory store. So ask for more traces than shown, and keep those that match.
    const limit = Number(asked.limit) || 20;
    const byStatus = asked.status === 'error' || asked.status === 'ok';
    return jaeger
      .search({
        service,
        operation: asked.operation || undefined,
        tags,
        minDuration: asked.minMs ? `${Number(asked.minMs)}ms` : undefined,
        lookback: asked.lookback,
        limit: byStatus ? Math.min(limit * 5, MAX_FETCHED) : limit,
      })
      .then((a): Outcome<TraceModel[]> => {
        if (!a.ok) return { data: null, problem: describeError(a) };
        const traces = (a.data ?? []).map(buildTrace).sort((x, y) => y.start - x.start);
        const wanted = (t: TraceModel) =>
          asked.status === 'error' ? t.errors.length > 0 : asked.status === 'ok' ? t.errors.length === 0 : true;
        return { data: traces.filter(wanted).slice(0, limit), problem: null };
      });
  });
  const results = outcome?.data ?? null;
  const problem = outcome?.problem ?? null;

  const submit = (e: Event) => {
    e.preventDefault();
    const hash = links.search(form);
    if (parseRoute(hash).query.toString() === key) setRound(round + 1);
    else location.hash = hash;
  };
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onInput: (e: Event) => setForm({ ...form, [name]: (e.currentTarget as HTMLInputElement).value }),
  });

  return (
    <div class="page">
      <h1 tabIndex={-1}>Traces</h1>
      {sampling && (
        <Notice kind="info">
          Not every trace is kept: {sampling}. Quest 11 turns this on; the other quests look for traces it drops, so turn it off when you
          are done with quest 11.
        </Notice>
      )}
      <form class="search panel" onSubmit={submit} aria-label="Find traces">
        <label>
          Service
          <select {...field('service')} onChange={(e) => setForm({ ...form, service: e.currentTarget.value, operation: '' })}>
            {services.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Operation
          <select {...field('operation')} onChange={(e) => setForm({ ...form, operation: e.currentTarget.value })}>
            <option value="">all</option>
            {operations.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <label>
          Status
          <select {...field('status')} onChange={(e) => setForm({ ...form, status: e.currentTarget.value })}>
            <option value="">any</option>
            <option value="error">with errors</option>
            <option value="ok">without errors</option>
          </select>
        </label>
        <label>
          Min duration of a matching span (ms)
          <input type="number" min={0} {...field('minMs')} />
        </label>
        <label class="wide">
          Tags (key=value …)
          <input type="text" placeholder="http.response.status_code=402" {...field('tags')} />
        </label>
        <label>
          Lookback
          <select {...field('lookback')} onChange={(e) => setForm({ ...form, lookback: e.currentTarget.value })}>
            {LOOKBACKS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <label>
          Limit
          <input type="number" min={1} max={200} {...field('limit')} />
        </label>
        <button type="submit" class="primary">
          Find traces
        </button>
      </form>
      <form
        class="open-trace"
        onSubmit={(e) => {
          e.preventDefault();
          const id = openId.trim().toLowerCase();
          if (!id) return;
          // Said in words, not by the browser's "match the requested format".
          if (!/^[0-9a-f]{1,32}$/.test(id))
            return void setOpenProblem(
              `"${openId.trim()}" is not a trace id: a trace id is up to 32 hex digits (0-9, a-f), nothing between them.`,
            );
          setOpenProblem(null);
          location.hash = links.trace(id);
        }}
      >
        <label>
          Trace id{' '}
          <input
            class="mono"
            type="text"
            value={openId}
            aria-invalid={openProblem !== null}
            onInput={(e) => {
              setOpenId(e.currentTarget.value);
              setOpenProblem(null);
            }}
          />
        </label>
        <button type="submit">Open</button>
      </form>
      {openProblem && (
        <Notice kind="error">
          <span data-testid="open-problem">{openProblem}</span>
        </Notice>
      )}
      {/* A refused search has no results to wait for: only why. */}
      {problem ? (
        <Notice kind="error">{problem}</Notice>
      ) : (
        <div data-search={key}>
          <Results results={results} />
        </div>
      )}
    </div>
  );
}

function Results({ results }: { results: TraceModel[] | null }) {
  const now = useMemo(() => Date.now(), [results]);
  if (results === null) return <p class="muted">Searching…</p>;
  if (results.length === 0) return <p class="muted">No traces match.</p>;
  return (
    <table class="results">
      <caption class="sr-only">Traces found</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Trace</th>
          <th scope="col">Duration</th>
          <th scope="col">Spans</th>
          <th scope="col">Services</th>
          <th scope="col">Errors</th>
          <th scope="col">Faults</th>
        </tr>
      </thead>
      <tbody>
        {results.map((t) => {
          const root = t.roots[0];
          return (
            <tr key={t.traceId} data-trace-id={t.traceId}>
              <td title={`${Math.round((now - t.start / 1000) / 1000)} s ago`}>{clock(new Date(t.start / 1000))}</td>
              <td>
                <a href={links.trace(t.traceId)}>
                  {root.service}: {root.name}
                </a>
                <span class="muted small mono"> {t.traceId.slice(0, 8)}</span>
              </td>
              <td>{ms(t.duration / 1000)}</td>
              <td>{t.spans.length}</td>
              <td class="chips">
                {t.services.map((s) => (
                  <ServiceChip key={s} service={s} />
                ))}
              </td>
              <td class={t.errors.length ? 'bad' : undefined}>{t.errors.length || ''}</td>
              <td class={t.faults.length ? 'faulty' : undefined}>{[...new Set(t.faults.map((s) => s.fault))].join(', ')}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
