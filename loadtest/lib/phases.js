// Names the part of a run a request belongs to, as the k6 tag `phase`, so thresholds and the
// summary can compare, e.g., latency before a spike with latency after it.
import exec from 'k6/execution';
import { durationMs } from './config.js';

/** phases: [[name, duration], ...] in order; past the end, the last name. */
export function phaseAt(phases, elapsedMs) {
  let end = 0;
  for (const [name, duration] of phases) {
    end += durationMs(duration);
    if (elapsedMs < end) return name;
  }
  return phases[phases.length - 1][0];
}

/** Tags everything this VU sends from now on with the phase the scenario is in. */
export function tagPhase(phases) {
  exec.vu.metrics.tags.phase = phaseAt(phases, Date.now() - exec.scenario.startTime);
}
