// A few iterations of every task, one VU each: fails on any error. Run it after every change.
//   k6 run loadtest/smoke.js            knobs: ITERATIONS (3), BASE_URL, JAEGER_URL, LOG_TRACES
import { num } from './lib/config.js';
import { prepare, TASKS } from './lib/tasks.js';

const ITERATIONS = num('ITERATIONS', 3);
const NAMES = Object.keys(TASKS);

export const options = {
  // One scenario per task, so the summary counts each task's iterations on its own.
  scenarios: Object.fromEntries(
    NAMES.map((name) => [name, { executor: 'per-vu-iterations', vus: 1, iterations: ITERATIONS, exec: name, maxDuration: '1m' }]),
  ),
  thresholds: {
    checks: ['rate==1'],
    http_req_failed: ['rate==0'],
    ...Object.fromEntries(NAMES.map((name) => [`iterations{scenario:${name}}`, [`count==${ITERATIONS}`]])),
  },
};

export function setup() {
  return prepare();
}

// Each scenario's exec: the task of the same name.
export { browse, checkOut, listOrders, logIn, viewProduct } from './lib/tasks.js';
