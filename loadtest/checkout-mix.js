// The everyday load: a steady arrival rate of tasks drawn by the weights in scenarios.json.
//   k6 run loadtest/checkout-mix.js     knobs: RATE (20/s), DURATION (1m), VUS, MAX_VUS,
//                                              WEIGHTS ("checkOut:1" ...), ERROR_RATE (0.01)
import { scenario } from './lib/scenario.js';

const S = scenario(open('./scenarios.json'), 'checkout-mix');

export const options = S.options;

export function setup() {
  return S.prepare();
}

/** @param {import('./lib/tasks.js').SetupData} data */
export default function (data) {
  S.runMix(data);
}
