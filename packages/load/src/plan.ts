// The native reading of loadtest/scenarios.json: knobs, weights, phases and workers of a scenario.
// loadtest/lib/plan.js reads the same file for k6; tests/load/scenarios.test.ts holds them equal.
import type { Definition, Scenario } from './definition';

export type Knobs = Record<string, string | number>;

export interface Phase {
  name: string;
  /** Requests a second: for a ramp, the rate it reaches at its end. */
  rate: number;
  durationMs: number;
  /** Moves linearly from the previous phase's rate to `rate` (natively: in one-second steps). */
  ramp: boolean;
}

export function scenarioOf(def: Definition, name: string): Scenario {
  const s = def.scenarios[name];
  if (!s) throw new Error(`no scenario "${name}" (scenarios: ${Object.keys(def.scenarios).join(', ')})`);
  return s;
}

/** The scenario's knobs and the shared ones, each replaced by the environment's value when set. */
export function knobsOf(def: Definition, name: string, env: Record<string, string | undefined>): Knobs {
  const out: Knobs = {};
  for (const [knob, fallback] of Object.entries({ ...def.knobs, ...scenarioOf(def, name).knobs })) {
    const raw = env[knob];
    if (raw === undefined || raw === '') out[knob] = fallback;
    else if (typeof fallback === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n) || n < 0) throw new Error(`${knob} must be a non-negative number, got "${raw}"`);
      out[knob] = n;
    } else if (knob.endsWith('_URL')) out[knob] = urlKnob(knob, raw);
    else out[knob] = raw;
  }
  return out;
}

/**
 * A knob named *_URL is where requests go or links point: an http(s) address, without a trailing
 * slash (the paths are appended to it). Anything else is refused before a request is sent.
 */
export function urlKnob(knob: string, raw: string): string {
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(raw)) throw new Error(`${knob} must be an http:// or https:// address, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

function lookup(vars: Record<string, unknown>, key: string): unknown {
  let v: unknown = vars;
  for (const part of key.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
  if (v === undefined) throw new Error(`scenarios.json: nothing named {${key}}`);
  return v;
}

/** Fills in `{name}` placeholders; a string that is only a placeholder becomes the value itself. */
export function fill<T>(value: T, vars: Record<string, unknown>): T {
  if (typeof value === 'string') {
    const whole = /^\{([\w.]+)\}$/.exec(value);
    if (whole) return lookup(vars, whole[1]) as T;
    return value.replace(/\{([\w.]+)\}/g, (_, key: string) => String(lookup(vars, key))) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, vars)) as T;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)])) as T;
  return value;
}

/** "90s", "1m30s", "2h", "500ms" in milliseconds. */
export function durationMs(d: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const rest = String(d).replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n: string, u: string) => {
    total += Number(n) * units[u];
    return '';
  });
  if (rest !== '' || String(d) === '') throw new Error(`not a duration: "${d}" (e.g. 90s, 1m30s, 2h)`);
  if (total === 0) throw new Error(`a duration must be longer than 0, got "${d}"`);
  return total;
}

/** WEIGHTS ("checkOut:1", "browse:3,logIn:1"), else the scenario's weights, else the shared table. */
export function weightsOf(def: Definition, name: string, knobs: Knobs): Record<string, number> {
  const raw = String(knobs.WEIGHTS ?? '');
  if (!raw) return scenarioOf(def, name).weights ?? def.weights;
  const out: Record<string, number> = {};
  for (const part of raw.split(',')) {
    const [task, w] = part.split(':');
    if (!def.tasks[task] || !(Number(w) >= 0))
      throw new Error(`WEIGHTS: bad entry "${part}" (tasks: ${Object.keys(def.tasks).join(', ')})`);
    out[task] = Number(w);
  }
  return out;
}

export const tasksOf = (weights: Record<string, number>) => Object.keys(weights).filter((t) => weights[t] > 0);

export function pickTask(weights: Record<string, number>, r = Math.random()): string {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  let x = r * total;
  for (const [task, weight] of Object.entries(weights)) {
    x -= weight;
    if (x < 0) return task;
  }
  return tasksOf(weights)[0];
}

/** Phases that would send nothing at all are refused: a run with no request would pass every threshold. */
function sending(name: string, phases: Phase[]): Phase[] {
  if (phases.length && phases.every((p) => !(p.rate > 0))) throw new Error(`${name}: every phase has a rate of 0: nothing would be sent`);
  return phases;
}

/** A rate past the definition's limit is refused: the generator would hold a worker per request. */
function withinLimit(def: Definition, name: string, phases: Phase[]): Phase[] {
  const over = phases.find((p) => !(p.rate <= def.limits.rate));
  if (over)
    throw new Error(
      `${name}: ${over.rate} requests a second in phase "${over.name}"; the most is ${def.limits.rate} (limits.rate in loadtest/scenarios.json)`,
    );
  return phases;
}

/** The phases in order (none for an iterations scenario); a climb is a ramp and a hold per rate. */
export function phasesOf(def: Definition, name: string, knobs: Knobs): Phase[] {
  const s = scenarioOf(def, name);
  if (s.climb) {
    const [from, by, to] = [s.climb.from, s.climb.by, s.climb.to].map((v) => Number(fill(v, knobs)));
    const spec = `${s.climb.from}..${s.climb.to} by ${s.climb.by}`.replace(/[{}]/g, '');
    if (!(by > 0) || !(to >= from) || (to - from) / by >= 1000)
      throw new Error(`${name}: a climb of 1 to 1000 steps (${spec}), got ${from}..${to} by ${by}`);
    const out: Phase[] = [];
    for (let r = from; r <= to; r += by) {
      out.push({ name: `${r}/s`, rate: r, durationMs: durationMs(fill(s.climb.ramp, knobs)), ramp: true });
      out.push({ name: `${r}/s`, rate: r, durationMs: durationMs(fill(s.climb.hold, knobs)), ramp: false });
    }
    return withinLimit(def, name, out);
  }
  return withinLimit(
    def,
    name,
    sending(
      name,
      (s.phases ?? []).map((p) => ({
        name: p.name,
        rate: Number(fill(p.rate, knobs)),
        durationMs: Math.round(durationMs(fill(p.duration, knobs)) * (p.share ?? 1)),
        ramp: p.ramp === true,
      })),
    ),
  );
}

/** How many times each task runs in an iterations scenario (0 otherwise). */
export function iterationsOf(def: Definition, name: string, knobs: Knobs): number {
  const it = scenarioOf(def, name).iterations;
  if (!it) return 0;
  const each = Number(fill(it.each, knobs));
  if (!(each >= 1)) throw new Error(`${name}: each task must run at least once, got ${each}`);
  return each;
}

/**
 * Workers ready up front and at most (k6: VUs): VUS and MAX_VUS, or rules on the peak rate, never
 * more than the definition's limit (a VUS or MAX_VUS above it is refused).
 */
export function vusOf(def: Definition, name: string, knobs: Knobs): { preAllocated: number; max: number } {
  const s = scenarioOf(def, name);
  const rules = s.vus ?? def.vus;
  const peak = Math.max(s.iterations?.rate ?? 0, ...phasesOf(def, name, knobs).map((p) => p.rate));
  const rule = (r: { perRate: number; min: number }) => Math.min(def.limits.vus, Math.max(r.min, Math.ceil(peak * r.perRate)));
  const given = (knob: 'VUS' | 'MAX_VUS') => {
    const n = Number(knobs[knob]);
    if (n > def.limits.vus) throw new Error(`${knob}: at most ${def.limits.vus} (limits.vus in loadtest/scenarios.json), got ${n}`);
    return n;
  };
  return { preAllocated: given('VUS') || rule(rules.preAllocated), max: given('MAX_VUS') || rule(rules.max) };
}
