// A few iterations of every task, one VU each: fails on any error. Run it after every change.
//   k6 run loadtest/smoke.js            knobs: ITERATIONS (3), WEIGHTS, BASE_URL, JAEGER_URL, LOG_TRACES
// The tasks, checks and thresholds are in scenarios.json ("smoke").
import exec from 'k6/execution';
import { scenario } from './lib/scenario.js';

const S = scenario(open('./scenarios.json'), 'smoke');

// One k6 scenario per task, named after it, so the summary counts each task's iterations.
export const options = S.options;

export function setup() {
  return S.prepare();
}

/** @param {import('./lib/tasks.js').SetupData} data */
export default function (data) {
  S.run(exec.scenario.name, data);
}
