// Finds the highest rate the shop sustains: the arrival rate climbs in steps until the p95 or the
// error rate crosses its limit, and the run stops there (abortOnFail). The gauge target_rate in
// the summary is the rate reached; the last step held before it is what the shop sustains.
// Thresholds see the whole run so far, so they trip a little after the step that broke things.
//   k6 run loadtest/stress.js  knobs: START_RATE (10/s), STEP_RATE (10/s), MAX_RATE (300/s),
//                                     STEP (20s), P95_MS (250), ERROR_RATE (0.01), WEIGHTS, MAX_VUS

import exec from 'k6/execution';
import { Gauge } from 'k6/metrics';
import { durationMs, env, num } from './lib/config.js';
import { runMix, weights } from './lib/mix.js';
import { prepare } from './lib/tasks.js';

const W = weights();
const START = num('START_RATE', 10);
const STEP_RATE = num('STEP_RATE', 10);
const MAX = num('MAX_RATE', 300);
const STEP = env('STEP', '20s');

// Each step: 3 s to climb to the next rate, then hold it for STEP.
const stages = [];
for (let r = START; r <= MAX; r += STEP_RATE) stages.push({ duration: '3s', target: r }, { duration: STEP, target: r });

const targetRate = new Gauge('target_rate');
const stepMs = 3000 + durationMs(STEP);

export const options = {
  scenarios: {
    stress: {
      executor: 'ramping-arrival-rate',
      startRate: START,
      timeUnit: '1s',
      preAllocatedVUs: num('VUS', 20),
      maxVUs: num('MAX_VUS', Math.ceil(MAX * 2)),
      stages,
    },
  },
  thresholds: {
    http_req_duration: [{ threshold: `p(95)<${num('P95_MS', 250)}`, abortOnFail: true, delayAbortEval: '10s' }],
    http_req_failed: [{ threshold: `rate<${num('ERROR_RATE', 0.01)}`, abortOnFail: true, delayAbortEval: '10s' }],
  },
};

export function setup() {
  return prepare();
}

export default function (data) {
  const step = Math.floor((Date.now() - exec.scenario.startTime) / stepMs);
  targetRate.add(Math.min(MAX, START + step * STEP_RATE));
  runMix(W, data);
}
