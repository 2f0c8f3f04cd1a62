// A sudden burst: from a base rate to SPIKE_RATE in seconds, hold, drop back, and watch recovery.
// Requests carry the tag `phase`, so the summary shows whether latency comes back after the spike
// (the threshold on phase:recovery), not only how bad the spike itself was.
//   k6 run loadtest/spike.js   knobs: BASE_RATE (10/s), SPIKE_RATE (100/s), HOLD (30s), RAMP (10s),
//                                     VUS, MAX_VUS, WEIGHTS, ERROR_RATE (0.05)
import { env, num } from './lib/config.js';
import { BUDGETS, runMix, weights } from './lib/mix.js';
import { tagPhase } from './lib/phases.js';
import { prepare } from './lib/tasks.js';

const W = weights();
const BASE = num('BASE_RATE', 10);
const SPIKE = num('SPIKE_RATE', 100);
const HOLD = env('HOLD', '30s');
const RAMP = env('RAMP', '10s');

// [phase, duration, target rate at its end]
const PHASES = [
  ['before', HOLD, BASE],
  ['rise', RAMP, SPIKE],
  ['spike', HOLD, SPIKE],
  ['fall', RAMP, BASE],
  ['recovery', HOLD, BASE],
];

export const options = {
  scenarios: {
    spike: {
      executor: 'ramping-arrival-rate',
      startRate: BASE,
      timeUnit: '1s',
      preAllocatedVUs: num('VUS', Math.max(10, Math.ceil(SPIKE / 4))),
      maxVUs: num('MAX_VUS', SPIKE * 3),
      stages: PHASES.map(([, duration, target]) => ({ duration, target })),
    },
  },
  thresholds: {
    http_req_failed: [`rate<${num('ERROR_RATE', 0.05)}`],
    // Back to normal once the spike is over: within the everyday checkout budget.
    'http_req_duration{phase:recovery}': [`p(95)<${BUDGETS.checkOut.p95}`],
    'http_req_duration{phase:before}': [`p(95)<${BUDGETS.checkOut.p95}`],
    'http_req_duration{phase:spike}': ['p(95)<2000'],
  },
};

export function setup() {
  return prepare();
}

export default function (data) {
  tagPhase(PHASES);
  runMix(W, data);
}
