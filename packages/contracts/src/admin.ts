import { z } from 'zod';

/** The fault parameters as the admin API takes and returns them. */
export const faultParams = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).optional());
export type FaultParams = z.infer<typeof faultParams>;

/** admin -> gateway: start a scenario; the seed makes its random choices repeatable. */
export const scenarioRequest = z.strictObject({
  seed: z.int().min(0).max(1_000_000_000).optional(),
  /** false: the scenario's faults leave no marker on spans, and the API shows no parameters for them. */
  reveal: z.boolean().optional(),
});
export type ScenarioRequest = z.infer<typeof scenarioRequest>;
export const scenarioResult = z.object({ name: z.string(), faults: z.record(z.string(), faultParams) });
export type ScenarioResult = z.infer<typeof scenarioResult>;

/** The faults that are on right now, by name. */
export const activeFaults = z.object({ active: z.record(z.string(), faultParams) });
export type ActiveFaults = z.infer<typeof activeFaults>;
export const faultState = z.object({ name: z.string(), params: faultParams });
export type FaultState = z.infer<typeof faultState>;
