// The highest checkout rate the shop sustains: double the rate until a step fails, then bisect.
import type { StepResult } from './step';

export interface SearchPlan {
  first: number;
  seconds: number;
  maxRate: number;
  maxSteps: number;
  /** Stop bisecting when the gap between held and failed is at most this share of the held rate. */
  resolution: number;
}

export interface SearchResult {
  maxRate: number;
  steps: StepResult[];
}

/** coolDown runs after a failed step, so its backlog (queue, outbox) does not spill into the next. */
export async function maxSustainedRate(
  step: (rate: number, seconds: number) => Promise<StepResult>,
  plan: SearchPlan,
  log: (s: StepResult) => void,
  coolDown: () => Promise<unknown>,
): Promise<SearchResult> {
  const steps: StepResult[] = [];
  let held = 0;
  let failed = Infinity;
  let rate = plan.first;
  while (steps.length < plan.maxSteps) {
    const r = await step(rate, plan.seconds);
    steps.push(r);
    log(r);
    if (r.sustained) held = rate;
    else failed = rate;
    if (!r.sustained) await coolDown();
    const next = failed === Infinity ? Math.min(rate * 2, plan.maxRate) : Math.round((held + failed) / 2);
    if (failed === Infinity && rate >= plan.maxRate) break; // held the ceiling
    if (failed - held <= Math.max(1, held * plan.resolution) || next === rate || next <= held || next >= failed) break;
    rate = next;
  }
  return { maxRate: held, steps };
}
