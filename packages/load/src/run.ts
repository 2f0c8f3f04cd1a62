// runLoad: one scenario of loadtest/scenarios.json against the shop, natively. vegeta sends
// each phase at its constant rate; every request gets its own trace; each answer is checked
// like the k6 task checks it, and a failed one prints the link of its trace.
import { setTimeout as sleep } from 'node:timers/promises';
import { type Definition, loadDefinition } from './definition';
import { type Knobs, knobsOf, scenarioOf, tasksOf, vusOf, weightsOf } from './plan';
import { prepare } from './prepare';
import { draw, requestOf, runChecks, type TraceContext, traceContext, vegetaTarget } from './requests';
import { lateLimitMs, stepsOf } from './steps';
import { evaluate, type LoadSummary, type PhaseSummary, type RequestResult, taskSummary } from './summary';
import { thresholdsOf } from './thresholds';
import { attack, vegetaBinary } from './vegeta';

export interface LoadOptions {
  scenario: string;
  /** Knobs by name, as k6 takes them with -e (RATE, DURATION, WEIGHTS, ...); the fields below win. */
  env?: Record<string, string | undefined>;
  baseUrl?: string;
  jaegerUrl?: string;
  /**
   * The console (npm start's, natively): a failed request's link opens its trace there, since the
   * Jaeger built natively serves no UI. Without it, the link is Jaeger's UI, as the k6 scripts print.
   */
  consoleUrl?: string;
  token?: string;
  /** RATE, and DURATION in seconds, of a one-phase scenario (checkout-mix, checkout-rate). */
  rate?: number;
  seconds?: number;
  vus?: number;
  maxVus?: number;
  /** Where the lines about failed requests (and LOG_TRACES lines) go; default stderr. */
  log?: (line: string) => void;
  vegeta?: string;
  definition?: Definition;
  /** How long vegeta waits for an answer (default 30 s). */
  timeoutMs?: number;
  /** Every this many ms, a line on how far the run is (npm run load: 10 s); none by default. */
  progressEveryMs?: number;
  /**
   * Stops the run early (npm run load on Ctrl-C): the requests in flight are answered and checked,
   * and the summary covers what was sent. Its reason (the signal's name) is told in `aborted`.
   */
  signal?: AbortSignal;
}

function knobsFrom(o: LoadOptions): Record<string, string | undefined> {
  const set = (v: string | number | undefined) => (v === undefined ? undefined : String(v));
  const fields = {
    BASE_URL: set(o.baseUrl),
    JAEGER_URL: set(o.jaegerUrl),
    TOKEN: set(o.token),
    RATE: set(o.rate),
    DURATION: o.seconds === undefined ? undefined : `${o.seconds}s`,
    VUS: set(o.vus),
    MAX_VUS: set(o.maxVus),
  };
  return { ...o.env, ...Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) };
}

/**
 * A scenario's plan from its knobs, every value checked (knobs, thresholds, rates and workers
 * within the limits) before anything is built or sent; a k6-only scenario is refused here.
 */
export function planOf(def: Definition, name: string, env: Record<string, string | undefined>) {
  const native = scenarioOf(def, name).native;
  if (native) throw new Error(`${name}: ${native}`);
  const knobs = knobsOf(def, name, env);
  return { knobs, thresholds: thresholdsOf(def, name, knobs), steps: stepsOf(def, name, knobs), vus: vusOf(def, name, knobs) };
}

export async function runLoad(o: LoadOptions): Promise<{ results: RequestResult[]; summary: LoadSummary }> {
  const def = o.definition ?? loadDefinition();
  const name = o.scenario;
  const { knobs, thresholds, steps, vus } = planOf(def, name, knobsFrom(o));
  const vegeta = o.vegeta ?? vegetaBinary();
  const log = o.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const data = await prepare(def, knobs);

  const results: RequestResult[] = [];
  const phases: PhaseSummary[] = [];
  const pending = new Map<number, { task: string; draws: ReturnType<typeof draw>; ctx: TraceContext }>();
  let nextId = 0;
  let aborted: string | undefined;
  const started = Date.now();
  // A run says how far it is, so a minute of load is not a minute of silence.
  const plannedMs = steps.reduce((a, st) => a + st.durationMs, 0);
  const progress =
    o.progressEveryMs &&
    setInterval(() => {
      const failed = results.filter((r) => r.checks.some((c) => !c)).length;
      log(
        `load: ${Math.round((Date.now() - started) / 1000)} s of ${Math.round(plannedMs / 1000)} s, ${results.length} answered, ${failed} failing a check`,
      );
    }, o.progressEveryMs).unref();
  if (o.progressEveryMs) log(`load: ${name}, ${steps.reduce((a, st) => a + st.count, 0)} requests over ${Math.round(plannedMs / 1000)} s`);

  const signal = o.signal;
  for (const step of steps) {
    if (signal?.aborted) break;
    if (step.count === 0) {
      // A phase without requests is waited out, unless the run is stopped first.
      await sleep(step.durationMs, undefined, { signal }).catch(() => {});
      continue;
    }
    const mine: { seq: number; startedAt: number; result?: RequestResult }[] = [];
    await attack({
      vegeta,
      name: step.phase,
      rate: step.rate,
      count: step.count,
      workers: vus.preAllocated,
      maxWorkers: vus.max,
      timeoutMs: o.timeoutMs ?? 30_000,
      signal,
      target: (i) => {
        const id = nextId++;
        const task = step.task(i);
        const draws = draw(def, data);
        const ctx = traceContext(Number(knobs.TRACE_SAMPLED));
        const req = requestOf(def, task, draws);
        pending.set(id, { task, draws, ctx });
        // The fragment names the request in vegeta's results; it never goes on the wire.
        return vegetaTarget(`${knobs.BASE_URL}${req.path}#${id}`, req, data.token, ctx);
      },
      onResult: (r) => {
        const id = Number(r.url.slice(r.url.lastIndexOf('#') + 1));
        const sent = r.url ? pending.get(id) : undefined;
        mine.push({ seq: r.seq, startedAt: r.startedAt });
        if (!sent) return; // vegeta ran out of targets: not a request
        pending.delete(id);
        const lower = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k.toLowerCase(), v.join(', ')]));
        const checkResults = runChecks(def, sent.task, sent.draws, {
          status: r.code,
          json: () => JSON.parse(r.body.toString('utf8')),
          header: (h) => lower[h.toLowerCase()] ?? '',
        });
        const result: RequestResult = {
          task: sent.task,
          phase: step.phase,
          ...sent.ctx,
          status: r.code,
          error: r.error,
          failed: r.error !== '',
          latencyMs: r.latencyMs,
          checkResults,
          checks: Object.values(checkResults),
          startedAt: r.startedAt,
          lateMs: 0,
        };
        mine[mine.length - 1].result = result;
        results.push(result);
        report(result, knobs, o.consoleUrl, log);
      },
    });
    // Lateness against vegeta's own schedule: the n-th request of an attack is due n/rate after the first.
    mine.sort((a, b) => a.seq - b.seq);
    let late = 0;
    for (const m of mine.filter((x) => x.result)) {
      m.result!.lateMs = Math.max(0, m.startedAt - mine[0].startedAt - (m.seq * 1000) / step.rate);
      if (m.result!.lateMs > lateLimitMs(step.rate)) late++;
    }
    const sent = mine.filter((x) => x.result).length;
    if (signal?.aborted) {
      // Stopped in this phase: what was planned is what was due before the stop, all of it sent.
      if (sent) phases.push({ name: step.phase, rate: step.rate, planned: sent, sent, dropped: late });
      aborted = `interrupted (${signal.reason}) during ${step.phase}`;
      break;
    }
    phases.push({ name: step.phase, rate: step.rate, planned: step.count, sent, dropped: step.count - sent + late });
    pending.clear();
    const elapsed = Date.now() - started;
    const dropped = phases.reduce((a, p) => a + p.dropped, 0);
    const crossed = evaluate(
      thresholds.filter((t) => t.abortOnFail && elapsed >= t.delayAbortEvalMs),
      results,
      dropped,
    ).find((t) => !t.pass);
    if (crossed) {
      aborted = `${crossed.key} ${crossed.expression} crossed during ${step.phase}`;
      break;
    }
  }

  if (progress) clearInterval(progress);
  if (signal?.aborted && !aborted) aborted = `interrupted (${signal.reason})`;
  const dropped = phases.reduce((a, p) => a + p.dropped, 0);
  const checks = results.flatMap((r) => r.checks);
  const evaluated = evaluate(thresholds, results, dropped);
  const summary: LoadSummary = {
    scenario: name,
    knobs: { ...knobs, ...(knobs.TOKEN ? { TOKEN: '(set)' } : {}) },
    planned: phases.reduce((a, p) => a + p.planned, 0),
    sent: results.length,
    dropped,
    durationMs: Date.now() - started,
    checks: { passes: checks.filter(Boolean).length, fails: checks.filter((c) => !c).length },
    tasks: Object.fromEntries(tasksOf(weightsOf(def, name, knobs)).map((t) => [t, taskSummary(results.filter((r) => r.task === t))])),
    phases,
    thresholds: evaluated,
    passed: evaluated.every((t) => t.pass) && !aborted,
    ...(aborted ? { aborted } : {}),
  };
  return { results, summary };
}

/** Like the k6 scripts: a trace line per request with LOG_TRACES, a Jaeger link per failed request. */
function report(r: RequestResult, knobs: Knobs, consoleUrl: string | undefined, log: (line: string) => void) {
  if (knobs.LOG_TRACES === 'true') log(`trace task=${r.task} status=${r.status} trace_id=${r.traceId} span_id=${r.spanId}`);
  const failed = Object.entries(r.checkResults)
    .filter(([, ok]) => !ok)
    .map(([n]) => n);
  if (!failed.length) return;
  const why = r.status === 0 ? r.error : `HTTP ${r.status}`;
  const link = consoleUrl ? `${consoleUrl}/#/traces/${r.traceId}` : `${knobs.JAEGER_URL}/trace/${r.traceId}`;
  const where = r.sampled ? link : `trace ${r.traceId} (not sampled: not in Jaeger)`;
  log(`${r.task} failed (${failed.join('; ')}; ${why}): ${where}`);
}
