// A sudden burst: from a base rate to SPIKE_RATE in seconds, hold, drop back, and watch recovery.
// Requests carry the tag `phase` (before, rise, spike, fall, recovery), so the summary shows whether
// latency comes back after the spike (the threshold on phase:recovery), not only how bad it was.
//   k6 run loadtest/spike.js   knobs: BASE_RATE (10/s), SPIKE_RATE (100/s), HOLD (30s), RAMP (10s),
//                                     VUS, MAX_VUS, WEIGHTS, ERROR_RATE (0.05)
import { scenario } from './lib/scenario.js';

const S = scenario(open('./scenarios.json'), 'spike');

export const options = S.options;

export function setup() {
  return S.prepare();
}

/** @param {import('./lib/tasks.js').SetupData} data */
export default function (data) {
  S.tagPhase();
  S.runMix(data);
}
