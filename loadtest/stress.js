// Finds the highest rate the shop sustains: the arrival rate climbs in steps until the p95 or the
// error rate crosses its limit, and the run stops there (abortOnFail). The gauge target_rate in
// the summary is the rate reached; the last step held before it is what the shop sustains.
// Thresholds see the whole run so far, so they trip a little after the step that broke things.
//   k6 run loadtest/stress.js  knobs: START_RATE (10/s), STEP_RATE (10/s), MAX_RATE (300/s),
//                                     STEP (20s), P95_MS (250), ERROR_RATE (0.01), WEIGHTS, VUS, MAX_VUS
import { Gauge } from 'k6/metrics';
import { scenario } from './lib/scenario.js';

const S = scenario(open('./scenarios.json'), 'stress');
const targetRate = new Gauge('target_rate');

// Each step: 3 s to climb to the next rate, then hold it for STEP.
export const options = S.options;

export function setup() {
  return S.prepare();
}

/** @param {import('./lib/tasks.js').SetupData} data */
export default function (data) {
  targetRate.add(S.tagPhase().rate);
  S.runMix(data);
}
