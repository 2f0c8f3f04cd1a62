import type { FaultCatalog, ScenarioSummary } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { consoleApi, describeError } from '../http';
import { Notice, Prose } from '../ui';
import { FaultCard } from './fault-form';

export function FaultsPage() {
  const [catalog, setCatalog] = useState<FaultCatalog | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [news, setNews] = useState<string | null>(null);
  // Bumped by "Turn every fault off", so that no card still tells of a fault it turned on.
  const [cleared, setCleared] = useState(0);
  const load = async () => {
    const a = await consoleApi<FaultCatalog>('GET', '/faults');
    if (a.ok && a.data) {
      setCatalog(a.data);
      setProblem(null);
    } else setProblem(describeError(a));
  };
  useEffect(() => void load(), []);
  const reset = async () => {
    const a = await consoleApi('DELETE', '/faults');
    setNews(a.ok ? 'Every fault is off.' : describeError(a));
    if (a.ok) setCleared((n) => n + 1);
    await load();
  };
  /** A card or scenario changed the faults: the last "every fault is off" is no longer true. */
  const changed = async () => {
    setNews(null);
    await load();
  };

  const active = Object.keys(catalog?.active ?? {});
  return (
    <div class="page">
      <h1 tabIndex={-1}>Faults</h1>
      <p class="lead">
        Break the shop on purpose. A fault reaches every service as soon as it is turned on, and marks the spans it touches, unless a quest
        hides it.
      </p>
      {problem && <Notice kind="error">Could not reach the fault controls: {problem}</Notice>}
      <section class="panel" aria-labelledby="on-now-h">
        <div class="panel-head">
          <h2 id="on-now-h">On now</h2>
          <button type="button" onClick={reset} disabled={active.length === 0}>
            Turn every fault off
          </button>
        </div>
        <p data-testid="active-faults">{active.length ? '' : 'No faults are on.'}</p>
        {active.length > 0 && (
          <ul class="on-now">
            {active.map((name) => (
              <li key={name}>
                <strong>{name}</strong>{' '}
                {catalog?.active[name]?.hidden === true ? (
                  <span class="small">its settings hidden: a quest is using it</span>
                ) : (
                  <span class="mono small">
                    {Object.entries(catalog?.active[name] ?? {})
                      .map(([k, v]) => `${k}=${v}`)
                      .join(' ')}
                  </span>
                )}
              </li>
            ))}
          </ul>
        )}
        {news && <Notice kind="info">{news}</Notice>}
      </section>
      {catalog && (
        <>
          <h2>Faults</h2>
          <div class="cards">
            {catalog.faults.map((f) => (
              <FaultCard key={f.name} fault={f} active={catalog.active[f.name]} changed={changed} cleared={cleared} />
            ))}
          </div>
          <h2>Scenarios</h2>
          <div class="cards cards-small">
            {catalog.scenarios.map((s) => (
              <ScenarioCard key={s.name} scenario={s} started={changed} cleared={cleared} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

function ScenarioCard({ scenario: s, started, cleared }: { scenario: ScenarioSummary; started: () => void; cleared: number }) {
  const [seed, setSeed] = useState('');
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => setResult(null), [cleared]);
  const start = async (e: Event) => {
    e.preventDefault();
    const a = await consoleApi<{ faults: Record<string, unknown> }>('POST', `/scenarios/${s.name}`, seed ? { seed: Number(seed) } : {});
    setResult(
      a.ok ? { ok: true, text: `Scenario on: ${Object.keys(a.data?.faults ?? {}).join(', ')}` } : { ok: false, text: describeError(a) },
    );
    started();
  };
  return (
    <section class="panel" aria-labelledby={`scenario-${s.name}`} data-scenario={s.name}>
      <h3 id={`scenario-${s.name}`} class="mono">
        {s.name}
      </h3>
      <p>
        <Prose text={s.story} />
      </p>
      <details>
        <summary>Symptom and fix (spoiler)</summary>
        <p>
          <Prose text={s.symptom} />
        </p>
        <p>
          Fix: <Prose text={s.fix} />
        </p>
        <p class="small">Faults: {s.faults.join(', ')}</p>
      </details>
      <form onSubmit={start} class="inline">
        <label>
          Seed (optional)
          <input type="number" min={0} max={1_000_000_000} value={seed} onInput={(e) => setSeed(e.currentTarget.value)} />
        </label>
        <button type="submit">Start scenario</button>
      </form>
      {result && <Notice kind={result.ok ? 'ok' : 'error'}>{result.text}</Notice>}
    </section>
  );
}
