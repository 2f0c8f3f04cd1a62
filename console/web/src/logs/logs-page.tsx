import type { TraceLogsView } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, outcomeOf, useOutcome } from '../http';
import { links, parseRoute } from '../router';
import { LogTable } from '../traces/logs';
import { Notice } from '../ui';

const SERVICES = ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker'];
const LEVELS = ['info', 'warn', 'error'];

/** The services' latest log lines, searched; each one a click from its trace (quest 15's first half). */
export function LogsPage({ query }: { query: URLSearchParams }) {
  const asked = { service: query.get('service') ?? '', level: query.get('level') ?? '', q: query.get('q') ?? '' };
  const [form, setForm] = useState(asked);
  const key = query.toString();
  // The same search again reads the logs again.
  const [round, setRound] = useState(0);
  useEffect(() => setForm(asked), [key]);
  const search = new URLSearchParams(Object.entries(asked).filter(([, v]) => v !== ''));
  const outcome = useOutcome(`${key}#${round}`, () => consoleApi<TraceLogsView>('GET', `/logs?${search}`).then(outcomeOf));
  const logs = outcome?.data ?? null;
  const problem = outcome?.problem ?? null;

  const submit = (e: Event) => {
    e.preventDefault();
    const q = new URLSearchParams(Object.entries(form).filter(([, v]) => v !== '')).toString();
    const hash = `#/logs${q ? `?${q}` : ''}`;
    if (parseRoute(hash).query.toString() === key) setRound(round + 1);
    else location.hash = hash;
  };

  return (
    <div class="page">
      <h1 tabIndex={-1}>Logs</h1>
      <p class="lead">
        The services' latest log lines, newest first. A line logged while a span was open carries that span's <code>trace_id</code>: its
        trace is one click away.
      </p>
      <form class="search panel" onSubmit={submit} aria-label="Search the logs">
        <label>
          Service
          <select value={form.service} onChange={(e) => setForm({ ...form, service: e.currentTarget.value })}>
            <option value="">all</option>
            {SERVICES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Level
          <select value={form.level} onChange={(e) => setForm({ ...form, level: e.currentTarget.value })}>
            <option value="">all</option>
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
        </label>
        <label>
          Containing
          <input value={form.q} maxLength={200} placeholder="status=502" onInput={(e) => setForm({ ...form, q: e.currentTarget.value })} />
        </label>
        <button type="submit">Search</button>
      </form>
      {problem && <Notice kind="error">Could not search the logs: {problem}</Notice>}
      {logs === null && !problem && <p class="muted">Reading the logs…</p>}
      {logs?.source === null && (
        <p class="muted">Here the services' logs are in Loki, not in files the console reads: search them in Grafana's Explore.</p>
      )}
      {logs?.source === 'files' && logs.lines.length === 0 && <p class="muted">No line matches.</p>}
      {logs && logs.lines.length > 0 && (
        <div data-search={key}>
          <LogTable
            lines={logs.lines}
            caption="Log lines found"
            last={{
              title: 'Trace',
              cell: (l) =>
                l.traceId ? (
                  <a class="mono small" href={links.trace(l.traceId, l.spanId ?? undefined)} data-trace-id={l.traceId} title={l.traceId}>
                    {l.traceId.slice(0, 8)}…
                  </a>
                ) : (
                  <span class="muted small">none</span>
                ),
            }}
          />
        </div>
      )}
    </div>
  );
}
