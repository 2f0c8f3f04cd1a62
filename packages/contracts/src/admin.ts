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

/** A fault parameter as the registry describes it: the admin API lists them, forms are built from them. */
export const faultParamSpec = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('number'),
    default: z.number(),
    min: z.number(),
    max: z.number(),
    integer: z.boolean().optional(),
    description: z.string(),
  }),
  z.object({ type: z.literal('boolean'), default: z.boolean(), description: z.string() }),
  z.object({
    type: z.literal('string'),
    default: z.string().optional(),
    optional: z.boolean().optional(),
    choices: z.array(z.string()).readonly().optional(),
    maxLength: z.int().optional(),
    /** The whole value matches it (a regular expression's source, as HTML's pattern attribute takes it). */
    pattern: z.string().optional(),
    /** What the pattern asks for, in words: the error says it. */
    shape: z.string().optional(),
    description: z.string(),
  }),
]);
export type FaultParamSpec = z.infer<typeof faultParamSpec>;

export const faultDefinition = z.object({
  name: z.string(),
  title: z.string(),
  description: z.string(),
  services: z.array(z.string()).readonly(),
  where: z.string(),
  params: z.record(z.string(), faultParamSpec),
  symptom: z.string(),
  fix: z.object({ description: z.string(), param: z.literal('fix').optional(), config: z.string().optional() }).optional(),
});
export type FaultDefinition = z.infer<typeof faultDefinition>;

/** A scenario as the admin API lists it: the faults it sets, by name. */
export const scenarioSummary = z.object({
  name: z.string(),
  story: z.string(),
  faults: z.array(z.string()),
  symptom: z.string(),
  fix: z.string(),
});
export type ScenarioSummary = z.infer<typeof scenarioSummary>;

/** admin -> GET /admin/faults: every fault and scenario of the registry, and what is on now. */
export const faultCatalog = z.object({
  faults: z.array(faultDefinition).readonly(),
  scenarios: z.array(scenarioSummary),
  active: z.record(z.string(), faultParams),
});
export type FaultCatalog = z.infer<typeof faultCatalog>;
