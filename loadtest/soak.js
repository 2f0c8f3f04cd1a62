// A long, moderate, steady load: finds what only time reveals (memory growth, pool exhaustion,
// a queue that slowly backs up). The first and last tenth of the run are tagged `phase` early and
// late, and late checkouts must stay within their budget, like the early ones.
//   k6 run loadtest/soak.js    knobs: RATE (10/s), DURATION (30m), VUS, MAX_VUS, WEIGHTS, ERROR_RATE (0.01)
import { scenario } from './lib/scenario.js';

const S = scenario(open('./scenarios.json'), 'soak');

export const options = S.options;

export function setup() {
  return S.prepare();
}

/** @param {import('./lib/tasks.js').SetupData} data */
export default function (data) {
  S.tagPhase();
  S.runMix(data);
}
