// Reads ../scenarios.json for k6: knobs, weights, phases, VUs, thresholds, requests and checks.
// Pure (no k6 module), so the drift test can run it in Node next to the native runner's reading
// of the same file (packages/load/src/plan.ts).

/**
 * @typedef {string | number | boolean | null | Json[] | { [key: string]: Json }} Json
 * @typedef {{ json: string, equals: Json } | { json: string, is: 'array' | 'non-empty array' | 'non-empty string' } | { header: string, includes: string }} Condition
 * @typedef {{ method: string, path: string, name?: string, auth?: boolean, body?: Json, status: number, checks: Record<string, Condition[]> }} Task
 * @typedef {{ name: string, rate: number | string, duration: string, share?: number, ramp?: boolean }} PhaseSpec
 * @typedef {{ perRate: number, min: number }} VuRule
 * @typedef {{ threshold: string, abortOnFail?: boolean, delayAbortEval?: string }} ObjectThreshold
 * @typedef {{
 *   script: string, about: string, native?: string, knobs: Record<string, string | number>,
 *   weights?: Record<string, number>, vus?: { preAllocated: VuRule, max: VuRule },
 *   iterations?: { each: number | string, rate: number }, phases?: PhaseSpec[],
 *   climb?: { from: number | string, by: number | string, to: number | string, ramp: string, hold: string },
 *   thresholds: Record<string, (string | ObjectThreshold)[]>
 * }} Scenario
 * @typedef {{
 *   knobs: Record<string, string | number>,
 *   data: { demoUsers: { email: string, password: string }[], card: Record<string, Json>, lowStockSkus: string[], plentifulAbove: number },
 *   tasks: Record<string, Task>, weights: Record<string, number>, budgets: Record<string, { p95: number, p99: number }>,
 *   vus: { preAllocated: VuRule, max: VuRule }, limits: { rate: number, vus: number }, scenarios: Record<string, Scenario>
 * }} Definition
 * @typedef {Record<string, string | number>} Knobs
 * @typedef {{ name: string, rate: number, durationMs: number, ramp: boolean }} Phase
 * @typedef {{ anyProduct: string, plentifulProduct: string, demoUser: Json, card: Json }} Draws
 */

/** @param {Definition} def @param {string} name */
export function scenarioOf(def, name) {
  const s = def.scenarios[name];
  if (!s) throw new Error(`no scenario "${name}" (scenarios: ${Object.keys(def.scenarios).join(', ')})`);
  return s;
}

/**
 * The scenario's knobs: its defaults and the shared ones, each replaced by the environment's value.
 * A knob whose default is a number must be a non-negative number.
 * @param {Definition} def @param {string} name @param {Record<string, string | undefined>} env
 * @returns {Knobs}
 */
export function knobsOf(def, name, env) {
  /** @type {Knobs} */
  const out = {};
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
 * @param {string} knob @param {string} raw @returns {string}
 */
export function urlKnob(knob, raw) {
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/i.test(raw)) throw new Error(`${knob} must be an http:// or https:// address, got "${raw}"`);
  return raw.replace(/\/+$/, '');
}

/** @param {Record<string, unknown>} vars @param {string} key @returns {unknown} */
function lookup(vars, key) {
  /** @type {unknown} */
  let v = vars;
  for (const part of key.split('.')) v = v !== null && typeof v === 'object' ? /** @type {Record<string, unknown>} */ (v)[part] : undefined;
  if (v === undefined) throw new Error(`scenarios.json: nothing named {${key}}`);
  return v;
}

/**
 * Fills in `{name}` placeholders: a string that is only a placeholder becomes its value (a number,
 * an object); elsewhere the value is written into the string.
 * @template T
 * @param {T} value @param {Record<string, unknown>} vars @returns {T}
 */
export function fill(value, vars) {
  if (typeof value === 'string') {
    const whole = /^\{([\w.]+)\}$/.exec(value);
    if (whole) return /** @type {T} */ (lookup(vars, whole[1]));
    return /** @type {T} */ (value.replace(/\{([\w.]+)\}/g, (_, key) => String(lookup(vars, key))));
  }
  if (Array.isArray(value)) return /** @type {T} */ (value.map((v) => fill(v, vars)));
  if (value !== null && typeof value === 'object')
    return /** @type {T} */ (Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v, vars)])));
  return value;
}

/** A duration ("90s", "1m30s", "2h", "500ms") in milliseconds. @param {string} d */
export function durationMs(d) {
  /** @type {Record<string, number>} */
  const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  const rest = String(d).replace(/(\d+(?:\.\d+)?)(ms|s|m|h)/g, (_, n, u) => {
    total += Number(n) * units[u];
    return '';
  });
  if (rest !== '' || String(d) === '') throw new Error(`not a duration: "${d}" (e.g. 90s, 1m30s, 2h)`);
  if (total === 0) throw new Error(`a duration must be longer than 0, got "${d}"`);
  return total;
}

/**
 * The task weights: WEIGHTS ("checkOut:1", "browse:3,logIn:1"), else the scenario's, else the shared table.
 * @param {Definition} def @param {string} name @param {Knobs} knobs @returns {Record<string, number>}
 */
export function weightsOf(def, name, knobs) {
  const raw = String(knobs.WEIGHTS ?? '');
  if (!raw) return scenarioOf(def, name).weights ?? def.weights;
  /** @type {Record<string, number>} */
  const out = {};
  for (const part of raw.split(',')) {
    const [task, w] = part.split(':');
    if (!def.tasks[task] || !(Number(w) >= 0))
      throw new Error(`WEIGHTS: bad entry "${part}" (tasks: ${Object.keys(def.tasks).join(', ')})`);
    out[task] = Number(w);
  }
  return out;
}

/** The tasks a scenario runs: those with a weight above zero. @param {Record<string, number>} weights */
export const tasksOf = (weights) => Object.keys(weights).filter((t) => weights[t] > 0);

/** A task name drawn by weight. @param {Record<string, number>} weights @param {number} r */
export function pickTask(weights, r = Math.random()) {
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  let x = r * total;
  for (const [task, weight] of Object.entries(weights)) {
    x -= weight;
    if (x < 0) return task;
  }
  return tasksOf(weights)[0];
}

/**
 * Phases that would send nothing at all are refused: a run with no request would pass every threshold.
 * @param {string} name @param {Phase[]} phases @returns {Phase[]}
 */
function sending(name, phases) {
  if (phases.length && phases.every((p) => !(p.rate > 0))) throw new Error(`${name}: every phase has a rate of 0: nothing would be sent`);
  return phases;
}

/**
 * A rate past the definition's limit is refused: the generator would hold a VU per request.
 * @param {Definition} def @param {string} name @param {Phase[]} phases @returns {Phase[]}
 */
function withinLimit(def, name, phases) {
  const over = phases.find((p) => !(p.rate <= def.limits.rate));
  if (over)
    throw new Error(
      `${name}: ${over.rate} requests a second in phase "${over.name}"; the most is ${def.limits.rate} (limits.rate in loadtest/scenarios.json)`,
    );
  return phases;
}

/**
 * The arrival-rate phases in order (none for an iterations scenario); a climb becomes, per rate,
 * a ramp to it and a hold at it.
 * @param {Definition} def @param {string} name @param {Knobs} knobs @returns {Phase[]}
 */
export function phasesOf(def, name, knobs) {
  const s = scenarioOf(def, name);
  if (s.climb) {
    const [from, by, to] = [s.climb.from, s.climb.by, s.climb.to].map((v) => Number(fill(v, knobs)));
    const spec = `${s.climb.from}..${s.climb.to} by ${s.climb.by}`.replace(/[{}]/g, '');
    if (!(by > 0) || !(to >= from) || (to - from) / by >= 1000)
      throw new Error(`${name}: a climb of 1 to 1000 steps (${spec}), got ${from}..${to} by ${by}`);
    /** @type {Phase[]} */
    const out = [];
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

/** How many times each task runs in an iterations scenario (0 otherwise). @param {Definition} def @param {string} name @param {Knobs} knobs */
export function iterationsOf(def, name, knobs) {
  const it = scenarioOf(def, name).iterations;
  if (!it) return 0;
  const each = Number(fill(it.each, knobs));
  if (!(each >= 1)) throw new Error(`${name}: each task must run at least once, got ${each}`);
  return each;
}

/**
 * VUs (k6) or workers (vegeta) ready up front and at most: VUS and MAX_VUS, or rules on the peak
 * rate, never more than the definition's limit (a VUS or MAX_VUS above it is refused).
 * @param {Definition} def @param {string} name @param {Knobs} knobs @returns {{ preAllocated: number, max: number }}
 */
export function vusOf(def, name, knobs) {
  const s = scenarioOf(def, name);
  const rules = s.vus ?? def.vus;
  const peak = Math.max(s.iterations?.rate ?? 0, ...phasesOf(def, name, knobs).map((p) => p.rate));
  /** @param {VuRule} r */
  const rule = (r) => Math.min(def.limits.vus, Math.max(r.min, Math.ceil(peak * r.perRate)));
  /** @param {'VUS' | 'MAX_VUS'} knob */
  const given = (knob) => {
    const n = Number(knobs[knob]);
    if (n > def.limits.vus) throw new Error(`${knob}: at most ${def.limits.vus} (limits.vus in loadtest/scenarios.json), got ${n}`);
    return n;
  };
  return { preAllocated: given('VUS') || rule(rules.preAllocated), max: given('MAX_VUS') || rule(rules.max) };
}

/**
 * The thresholds in k6's own syntax: an entry naming {task} is repeated for every task the
 * scenario runs, with {budget.p95} and {budget.p99} that task's budget.
 * @param {Definition} def @param {string} name @param {Knobs} knobs
 * @returns {Record<string, (string | ObjectThreshold)[]>}
 */
export function thresholdsOf(def, name, knobs) {
  const s = scenarioOf(def, name);
  const tasks = tasksOf(weightsOf(def, name, knobs));
  /** @type {Record<string, (string | ObjectThreshold)[]>} */
  const out = {};
  for (const [key, list] of Object.entries(s.thresholds)) {
    const each = key.includes('{task}') ? tasks : [undefined];
    for (const task of each) {
      const vars = { ...knobs, budgets: def.budgets, ...(task ? { task, budget: def.budgets[task] } : {}) };
      const k = fill(key, vars);
      out[k] = [...(out[k] ?? []), ...fill(list, vars)];
    }
  }
  return out;
}

/** Values drawn for one request. @param {Definition} def @param {{ productIds: string[], plentifulIds: string[] }} data @returns {Draws} */
export function draw(def, data) {
  /** @template T @param {T[]} list @returns {T} */
  const pick = (list) => list[Math.floor(Math.random() * list.length)];
  return {
    anyProduct: pick(data.productIds),
    plentifulProduct: pick(data.plentifulIds),
    demoUser: pick(def.data.demoUsers),
    card: def.data.card,
  };
}

/** One request of a task. @param {Definition} def @param {string} task @param {Draws} draws */
export function requestOf(def, task, draws) {
  const t = def.tasks[task];
  return {
    method: t.method,
    path: fill(t.path, draws),
    body: t.body === undefined ? undefined : fill(t.body, draws),
    auth: t.auth === true,
  };
}

/** Every check's name, in order: the expected status first. @param {Definition} def @param {string} task */
export function checkNames(def, task) {
  const t = def.tasks[task];
  return [`${task}: ${t.status}`, ...Object.keys(t.checks).map((c) => `${task}: ${c}`)];
}

/**
 * The result of each check of a task on a response; `json()` may throw (not JSON), which fails
 * the check that needs it.
 * @param {Definition} def @param {string} task @param {Draws} draws
 * @param {{ status: number, json: () => unknown, header: (name: string) => string }} res
 * @returns {Record<string, boolean>}
 */
export function runChecks(def, task, draws, res) {
  const t = def.tasks[task];
  /** @param {Condition} c */
  const holds = (c) => {
    if ('header' in c) return res.header(c.header).includes(c.includes);
    /** @type {unknown} */
    let v = res.json();
    for (const part of c.json.split('.'))
      v = v !== null && typeof v === 'object' ? /** @type {Record<string, unknown>} */ (v)[part] : undefined;
    if ('equals' in c) return v === fill(c.equals, draws);
    if (c.is === 'array') return Array.isArray(v);
    if (c.is === 'non-empty array') return Array.isArray(v) && v.length > 0;
    return typeof v === 'string' && v.length > 0;
  };
  /** @type {Record<string, boolean>} */
  const out = { [`${task}: ${t.status}`]: res.status === t.status };
  for (const [name, conditions] of Object.entries(t.checks)) {
    let ok = false;
    try {
      ok = conditions.every(holds);
    } catch (_) {
      /* not JSON: the check fails */
    }
    out[`${task}: ${name}`] = ok;
  }
  return out;
}

/** The phase a request belongs to, by time since the start; past the end, the last. @param {Phase[]} phases @param {number} elapsedMs */
export function phaseAt(phases, elapsedMs) {
  let end = 0;
  for (const p of phases) {
    end += p.durationMs;
    if (elapsedMs < end) return p;
  }
  return phases[phases.length - 1];
}

/**
 * k6's options for a scenario: an iterations scenario is one k6 scenario per task (named after
 * it, one VU); phases at one rate are a constant arrival rate; anything else ramps, stage by stage.
 * @param {Definition} def @param {string} name @param {Knobs} knobs @returns {import('k6/options').Options}
 */
export function k6Options(def, name, knobs) {
  const thresholds = thresholdsOf(def, name, knobs);
  const summaryTrendStats = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'];
  const each = iterationsOf(def, name, knobs);
  if (each) {
    /** @type {(task: string) => import('k6/options').PerVUIterationsScenario} */
    const perTask = (task) => ({ executor: 'per-vu-iterations', vus: 1, iterations: each, maxDuration: '1m', tags: { task } });
    const tasks = tasksOf(weightsOf(def, name, knobs));
    return { scenarios: Object.fromEntries(tasks.map((t) => [t, perTask(t)])), thresholds, summaryTrendStats };
  }
  const phases = phasesOf(def, name, knobs);
  const vus = vusOf(def, name, knobs);
  const constant = phases.every((p) => p.rate === phases[0].rate);
  /** @type {import('k6/options').Scenario} */
  const run = constant
    ? {
        executor: 'constant-arrival-rate',
        rate: phases[0].rate,
        timeUnit: '1s',
        duration: `${phases.reduce((a, p) => a + p.durationMs, 0)}ms`,
        preAllocatedVUs: vus.preAllocated,
        maxVUs: vus.max,
      }
    : {
        executor: 'ramping-arrival-rate',
        startRate: phases[0].rate,
        timeUnit: '1s',
        preAllocatedVUs: vus.preAllocated,
        maxVUs: vus.max,
        stages: stagesOf(phases),
      };
  return { scenarios: { [name]: run }, thresholds, summaryTrendStats };
}

/** k6 stages: a ramp moves to its rate over its duration; a hold at a new rate jumps there first. @param {Phase[]} phases */
export function stagesOf(phases) {
  /** @type {{ duration: string, target: number }[]} */
  const stages = [];
  let rate = phases[0].rate;
  for (const p of phases) {
    if (!p.ramp && p.rate !== rate) stages.push({ duration: '0s', target: p.rate });
    stages.push({ duration: `${p.durationMs}ms`, target: p.rate });
    rate = p.rate;
  }
  return stages;
}
