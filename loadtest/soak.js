// A long, moderate, steady load: finds what only time reveals (memory growth, pool exhaustion,
// a queue that slowly backs up). The first and last tenth of the run are tagged `phase` early and
// late, and late checkouts must stay within their budget, like the early ones.
//   k6 run loadtest/soak.js    knobs: RATE (10/s), DURATION (30m), VUS, MAX_VUS, WEIGHTS, ERROR_RATE (0.01)
import { durationMs, num, rateKnobs } from './lib/config.js';
import { BUDGETS, runMix, taskThresholds, weights } from './lib/mix.js';
import { tagPhase } from './lib/phases.js';
import { prepare } from './lib/tasks.js';

const W = weights();
const k = rateKnobs({ rate: 10, duration: '30m' });
const tenth = `${Math.round(durationMs(k.duration) / 10)}ms`;
const PHASES = [
  ['early', tenth],
  ['middle', `${Math.round(durationMs(k.duration) * 0.8)}ms`],
  ['late', tenth],
];

export const options = {
  scenarios: {
    soak: {
      executor: 'constant-arrival-rate',
      rate: k.rate,
      timeUnit: '1s',
      duration: k.duration,
      preAllocatedVUs: k.preAllocatedVUs,
      maxVUs: k.maxVUs,
    },
  },
  thresholds: {
    ...taskThresholds(W, { errorRate: num('ERROR_RATE', 0.01) }),
    'http_req_duration{phase:early,task:checkOut}': [`p(95)<${BUDGETS.checkOut.p95}`],
    'http_req_duration{phase:late,task:checkOut}': [`p(95)<${BUDGETS.checkOut.p95}`],
  },
};

export function setup() {
  return prepare();
}

export default function (data) {
  tagPhase(PHASES);
  runMix(W, data);
}
