// Checkouts only, at one fixed arrival rate: what the benchmark (bench/) runs at each step.
//   k6 run loadtest/checkout-rate.js     knobs: RATE (50/s), DURATION (30s), VUS, MAX_VUS, P95_MS (250)
import { Rate } from 'k6/metrics';
import { num, rateKnobs } from './lib/config.js';
import { checkOut, prepare } from './lib/tasks.js';

const k = rateKnobs({ rate: 50, duration: '30s' });
// One sample per checkout: true when it was paid (201, status "paid").
const paid = new Rate('checkout_paid');

export const options = {
  scenarios: {
    checkout: {
      executor: 'constant-arrival-rate',
      rate: k.rate,
      timeUnit: '1s',
      duration: k.duration,
      preAllocatedVUs: k.preAllocatedVUs,
      maxVUs: k.maxVUs,
    },
  },
  // These also put the checkout-only numbers (without setup's login) into the summary export.
  thresholds: {
    'http_req_duration{task:checkOut}': [`p(95)<${num('P95_MS', 250)}`],
    'http_req_failed{task:checkOut}': ['rate==0'],
    checkout_paid: ['rate==1'],
    dropped_iterations: ['count==0'],
  },
  summaryTrendStats: ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'count'],
};

export function setup() {
  return prepare();
}

export default function (data) {
  const res = checkOut(data);
  let ok = false;
  try {
    ok = res.status === 201 && res.json('status') === 'paid';
  } catch (_) {
    /* not JSON: not paid */
  }
  paid.add(ok);
}
