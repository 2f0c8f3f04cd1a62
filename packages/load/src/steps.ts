// A scenario as vegeta attacks, in order: vegeta keeps one constant rate per attack.
import type { Definition } from './definition';
import { iterationsOf, type Knobs, phasesOf, pickTask, scenarioOf, tasksOf, weightsOf } from './plan';

export interface Step {
  phase: string;
  rate: number;
  count: number;
  durationMs: number;
  task: (i: number) => string;
}

/** A request started later than this after its slot counts as dropped (k6 drops it when no VU is free). */
export const lateLimitMs = (rate: number) => Math.max(50, 1000 / rate);

/** The attacks in order: a ramp becomes one-second steps at the rate of their middle. */
export function stepsOf(def: Definition, name: string, knobs: Knobs): Step[] {
  const weights = weightsOf(def, name, knobs);
  const each = iterationsOf(def, name, knobs);
  const it = scenarioOf(def, name).iterations;
  if (it && each) {
    const tasks = tasksOf(weights);
    const count = each * tasks.length;
    return [{ phase: name, rate: it.rate, count, durationMs: (count / it.rate) * 1000, task: (i) => tasks[i % tasks.length] }];
  }
  const mix = () => pickTask(weights);
  const phases = phasesOf(def, name, knobs);
  const steps: Step[] = [];
  let prev = phases[0]?.rate ?? 0;
  for (const p of phases) {
    const n = p.ramp ? Math.max(1, Math.min(30, Math.round(p.durationMs / 1000))) : 1;
    for (let k = 0; k < n; k++) {
      const rate = p.ramp ? prev + ((p.rate - prev) * (k + 0.5)) / n : p.rate;
      const durationMs = p.durationMs / n;
      steps.push({ phase: p.name, rate, count: Math.round((rate * durationMs) / 1000), durationMs, task: mix });
    }
    prev = p.rate;
  }
  return steps;
}
