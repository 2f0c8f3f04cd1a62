// A scenario's thresholds, in k6's syntax (`http_req_duration{task:checkOut}`: `p(95)<250`), and
// their native evaluation over the requests of a run.
import type { Definition, ThresholdSpec } from './definition';
import { fill, type Knobs, scenarioOf, tasksOf, weightsOf } from './plan';

export interface Threshold {
  /** k6's name of the (sub)metric, e.g. `http_req_failed{task:checkOut}`. */
  key: string;
  metric: Metric;
  tags: Record<string, string>;
  expression: string;
  stat: string;
  op: string;
  value: number;
  abortOnFail: boolean;
  delayAbortEvalMs: number;
}

/** What a threshold sees of one request. */
export interface Sample {
  task: string;
  phase: string;
  latencyMs: number;
  failed: boolean;
  checks: boolean[];
}

const METRICS = ['http_req_duration', 'http_req_failed', 'checks', 'iterations', 'dropped_iterations'] as const;
type Metric = (typeof METRICS)[number];
const TAGS = ['task', 'phase'];
const STATS: Record<Metric, RegExp> = {
  http_req_duration: /^(p\(|med|avg|min|max|count)/,
  http_req_failed: /^(rate|count)$/,
  checks: /^(rate|count)$/,
  iterations: /^count$/,
  dropped_iterations: /^count$/,
};
const EXPRESSION = /^\s*(p\(\d+(?:\.\d+)?\)|med|avg|min|max|rate|count)\s*(<=|>=|==|!=|<|>)\s*(\d+(?:\.\d+)?)\s*$/;

/** The scenario's thresholds, k6-style: an entry naming {task} repeats for every task the scenario runs. */
export function k6Thresholds(def: Definition, name: string, knobs: Knobs): Record<string, ThresholdSpec[]> {
  const tasks = tasksOf(weightsOf(def, name, knobs));
  const out: Record<string, ThresholdSpec[]> = {};
  for (const [key, list] of Object.entries(scenarioOf(def, name).thresholds)) {
    for (const task of key.includes('{task}') ? tasks : [undefined]) {
      const vars = { ...knobs, budgets: def.budgets, ...(task ? { task, budget: def.budgets[task] } : {}) };
      const k = fill(key, vars);
      out[k] = [...(out[k] ?? []), ...fill(list, vars)];
    }
  }
  return out;
}

/** The same thresholds, parsed for evaluation; anything the native runner cannot evaluate is an error. */
export function thresholdsOf(def: Definition, name: string, knobs: Knobs): Threshold[] {
  return Object.entries(k6Thresholds(def, name, knobs)).flatMap(([key, list]) => list.map((spec) => parse(key, spec)));
}

function parse(key: string, spec: ThresholdSpec): Threshold {
  const s = typeof spec === 'string' ? { threshold: spec } : spec;
  const k = /^(\w+)(?:\{([^}]*)\})?$/.exec(key);
  const e = EXPRESSION.exec(s.threshold);
  if (!k || !METRICS.includes(k[1] as Metric) || !e || !STATS[k[1] as Metric].test(e[1]))
    throw new Error(`threshold ${key}: "${s.threshold}" is not one the native runner evaluates`);
  const tags = Object.fromEntries((k[2] ? k[2].split(',') : []).map((t) => t.split(':').map((x) => x.trim())));
  for (const tag of Object.keys(tags))
    if (!TAGS.includes(tag)) throw new Error(`threshold ${key}: no tag "${tag}" natively (${TAGS.join(', ')})`);
  const delay = s.delayAbortEval ? /^(\d+)(ms|s)$/.exec(s.delayAbortEval) : null;
  return {
    key,
    metric: k[1] as Metric,
    tags,
    expression: s.threshold,
    stat: e[1],
    op: e[2],
    value: Number(e[3]),
    abortOnFail: s.abortOnFail === true,
    delayAbortEvalMs: delay ? Number(delay[1]) * (delay[2] === 's' ? 1000 : 1) : 0,
  };
}

/** k6's percentile: linear interpolation between the closest ranks. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = (p / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(i)];
  return lo + (sorted[Math.ceil(i)] - lo) * (i - Math.floor(i));
}

/** The value a threshold compares: undefined when its metric has no samples (then it holds, as in k6). */
export function measure(t: Threshold, samples: Sample[], dropped: number): number | undefined {
  if (t.metric === 'dropped_iterations') return dropped;
  const mine = samples.filter((s) => Object.entries(t.tags).every(([tag, v]) => s[tag as 'task' | 'phase'] === v));
  if (t.stat === 'count') return t.metric === 'checks' ? mine.flatMap((s) => s.checks).length : mine.length;
  if (t.stat === 'rate') {
    const bools = t.metric === 'checks' ? mine.flatMap((s) => s.checks) : mine.map((s) => s.failed);
    return bools.length ? bools.filter(Boolean).length / bools.length : undefined;
  }
  const values = mine.map((s) => s.latencyMs).sort((a, b) => a - b);
  if (!values.length) return undefined;
  if (t.stat === 'avg') return values.reduce((a, b) => a + b, 0) / values.length;
  if (t.stat === 'min') return values[0];
  if (t.stat === 'max') return values[values.length - 1];
  return percentile(values, t.stat === 'med' ? 50 : Number(t.stat.slice(2, -1)));
}

export function holds(t: Threshold, actual: number | undefined): boolean {
  if (actual === undefined) return true;
  const ops: Record<string, (a: number, b: number) => boolean> = {
    '<': (a, b) => a < b,
    '<=': (a, b) => a <= b,
    '>': (a, b) => a > b,
    '>=': (a, b) => a >= b,
    '==': (a, b) => a === b,
    '!=': (a, b) => a !== b,
  };
  return ops[t.op](actual, t.value);
}
