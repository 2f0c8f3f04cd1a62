// The traffic mix: how often each task runs, and how fast each must be. Mirrored in ../README.md.
import { env } from './config.js';
import { TASKS } from './tasks.js';

/** Relative weights of the tasks in every mixed script (a shop is mostly browsing). */
export const WEIGHTS = {
  browse: 40,
  viewProduct: 30,
  checkOut: 15,
  listOrders: 12,
  logIn: 3,
};

/** Latency budgets per task, in ms. logIn is slow by design (Argon2id). */
export const BUDGETS = {
  browse: { p95: 150, p99: 300 },
  viewProduct: { p95: 150, p99: 300 },
  checkOut: { p95: 250, p99: 500 },
  listOrders: { p95: 200, p99: 400 },
  logIn: { p95: 1000, p99: 2000 },
};

/** WEIGHTS, or the WEIGHTS variable: "checkOut:1" runs checkouts only, "browse:3,logIn:1" ... */
export function weights() {
  const raw = env('WEIGHTS', '');
  if (!raw) return WEIGHTS;
  const out = {};
  for (const part of raw.split(',')) {
    const [name, w] = part.split(':');
    if (!TASKS[name] || !(Number(w) >= 0)) throw new Error(`WEIGHTS: bad entry "${part}" (tasks: ${Object.keys(TASKS).join(', ')})`);
    out[name] = Number(w);
  }
  return out;
}

/** A task name drawn by weight. */
export function pickTask(w, r = Math.random()) {
  const total = Object.values(w).reduce((a, b) => a + b, 0);
  let x = r * total;
  for (const [name, weight] of Object.entries(w)) {
    x -= weight;
    if (x < 0) return name;
  }
  return Object.keys(w)[0];
}

/** Runs one task drawn by weight. */
export function runMix(w, data) {
  return TASKS[pickTask(w)](data);
}

/**
 * Thresholds per task (tag `task`): p95 and p99 under the task's budget, times `slack`, and an
 * error rate; with `abort`, the run stops as soon as one is crossed.
 */
export function taskThresholds(w, { slack = 1, errorRate = 0.01, abort = false } = {}) {
  const t = (expr) => (abort ? { threshold: expr, abortOnFail: true, delayAbortEval: '10s' } : expr);
  const out = { http_req_failed: [t(`rate<${errorRate}`)] };
  for (const name of Object.keys(w).filter((n) => w[n] > 0)) {
    const b = BUDGETS[name];
    out[`http_req_duration{task:${name}}`] = [t(`p(95)<${b.p95 * slack}`), `p(99)<${b.p99 * slack}`];
    out[`http_req_failed{task:${name}}`] = [`rate<${errorRate}`];
  }
  return out;
}
