// Checkouts only, at one fixed arrival rate: what the benchmark's steps run (natively, with vegeta).
//   k6 run loadtest/checkout-rate.js     knobs: RATE (25/s), DURATION (30s), VUS, MAX_VUS, P95_MS (250)
// Thresholds: checkout p95 under P95_MS, every checkout 201 "paid", no dropped arrival.
import { scenario } from './lib/scenario.js';

const S = scenario(open('./scenarios.json'), 'checkout-rate');

export const options = S.options;

export function setup() {
  return S.prepare();
}

/** @param {import('./lib/tasks.js').SetupData} data */
export default function (data) {
  S.runMix(data);
}
