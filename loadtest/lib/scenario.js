// One scenario of ../scenarios.json, ready for a k6 script. open() stays in the script itself:
// k6 resolves its relative paths against the script's folder, where scenarios.json lives.
import exec from 'k6/execution';
import { k6Options, knobsOf, phaseAt, phasesOf, pickTask, weightsOf } from './plan.js';
import { prepare, runTask } from './tasks.js';

/** @typedef {import('./tasks.js').SetupData} SetupData */

/** @param {string} text the contents of scenarios.json @param {string} name the scenario */
export function scenario(text, name) {
  /** @type {import('./plan.js').Definition} */
  const def = JSON.parse(text);
  const knobs = knobsOf(def, name, __ENV);
  const weights = weightsOf(def, name, knobs);
  const phases = phasesOf(def, name, knobs);
  return {
    knobs,
    phases,
    options: k6Options(def, name, knobs),
    prepare: () => prepare(def, knobs),
    /** @param {string} task @param {SetupData} data */
    run: (task, data) => runTask(def, knobs, task, data),
    /** One task drawn by weight. @param {SetupData} data */
    runMix: (data) => runTask(def, knobs, pickTask(weights), data),
    /** Tags what this VU sends from now on with the phase the run is in; returns that phase. */
    tagPhase() {
      const p = phaseAt(phases, Date.now() - exec.scenario.startTime);
      exec.vu.metrics.tags.phase = p.name;
      return p;
    },
  };
}
