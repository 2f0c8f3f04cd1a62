// The everyday load: a steady arrival rate of tasks drawn by the weights in lib/mix.js.
//   k6 run loadtest/checkout-mix.js     knobs: RATE (20/s), DURATION (1m), VUS, MAX_VUS,
//                                              WEIGHTS ("checkOut:1" ...), ERROR_RATE (0.01)
import { num, rateKnobs } from './lib/config.js';
import { runMix, taskThresholds, weights } from './lib/mix.js';
import { prepare } from './lib/tasks.js';

const W = weights();
const k = rateKnobs({ rate: 20, duration: '1m' });

export const options = {
  scenarios: {
    mix: {
      executor: 'constant-arrival-rate',
      rate: k.rate,
      timeUnit: '1s',
      duration: k.duration,
      preAllocatedVUs: k.preAllocatedVUs,
      maxVUs: k.maxVUs,
    },
  },
  thresholds: { ...taskThresholds(W, { errorRate: num('ERROR_RATE', 0.01) }), checks: ['rate>0.99'] },
};

export function setup() {
  return prepare();
}

export default function (data) {
  runMix(W, data);
}
