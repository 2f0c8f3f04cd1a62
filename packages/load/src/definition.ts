// loadtest/scenarios.json, validated: the one definition of the load, shared with the k6 scripts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tracequest/stack';
import { z } from 'zod';

export const DEFINITION_FILE = path.join(REPO_ROOT, 'loadtest', 'scenarios.json');

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
const json: z.ZodType<Json> = z.lazy(() =>
  z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
);
const knobValue = z.union([z.string(), z.number()]);

const condition = z.union([
  z.strictObject({ json: z.string(), equals: json }),
  z.strictObject({ json: z.string(), is: z.enum(['array', 'non-empty array', 'non-empty string']) }),
  z.strictObject({ header: z.string(), includes: z.string() }),
]);
export type Condition = z.infer<typeof condition>;

const task = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']),
  path: z.string().startsWith('/'),
  name: z.string().optional(),
  auth: z.boolean().optional(),
  body: json.optional(),
  status: z.number().int(),
  checks: z.record(z.string(), z.array(condition).min(1)),
});

const vuRule = z.strictObject({ perRate: z.number().min(0), min: z.number().int().min(1) });
const vus = z.strictObject({ preAllocated: vuRule, max: vuRule });
const threshold = z.union([
  z.string(),
  z.strictObject({ threshold: z.string(), abortOnFail: z.boolean().optional(), delayAbortEval: z.string().optional() }),
]);
export type ThresholdSpec = z.infer<typeof threshold>;

const scenario = z.strictObject({
  script: z.string().endsWith('.js'),
  about: z.string(),
  /** Why the native runner does not run it (absent: it does). */
  native: z.string().optional(),
  knobs: z.record(z.string(), knobValue),
  weights: z.record(z.string(), z.number().min(0)).optional(),
  vus: vus.optional(),
  iterations: z.strictObject({ each: knobValue, rate: z.number().positive() }).optional(),
  phases: z
    .array(
      z.strictObject({
        name: z.string(),
        rate: knobValue,
        duration: z.string(),
        share: z.number().positive().max(1).optional(),
        ramp: z.boolean().optional(),
      }),
    )
    .min(1)
    .optional(),
  climb: z.strictObject({ from: knobValue, by: knobValue, to: knobValue, ramp: z.string(), hold: z.string() }).optional(),
  thresholds: z.record(z.string(), z.array(threshold).min(1)),
});
export type Scenario = z.infer<typeof scenario>;

export const definitionSchema = z
  .strictObject({
    about: z.string(),
    knobs: z.record(z.string(), knobValue),
    data: z.strictObject({
      demoUsers: z.array(z.strictObject({ email: z.string(), password: z.string() })).min(1),
      card: z.record(z.string(), json),
      lowStockSkus: z.array(z.string()),
      plentifulAbove: z.number(),
    }),
    tasks: z.record(z.string(), task),
    weights: z.record(z.string(), z.number().min(0)),
    budgets: z.record(z.string(), z.strictObject({ p95: z.number().positive(), p99: z.number().positive() })),
    vus,
    /** The most requests a second and workers (VUs) a run may ask for: a typo is refused, not obeyed. */
    limits: z.strictObject({ rate: z.number().positive(), vus: z.number().int().positive() }),
    scenarios: z.record(z.string(), scenario),
  })
  .superRefine((d, ctx) => {
    const tasks = Object.keys(d.tasks);
    for (const [where, weights] of [
      ['weights', d.weights],
      ...Object.entries(d.scenarios).map(([n, s]) => [`${n}.weights`, s.weights ?? {}]),
    ] as const)
      for (const t of Object.keys(weights)) if (!tasks.includes(t)) ctx.addIssue({ code: 'custom', message: `${where}: no task "${t}"` });
    for (const t of tasks) if (!d.budgets[t]) ctx.addIssue({ code: 'custom', message: `budgets: none for "${t}"` });
    for (const [n, s] of Object.entries(d.scenarios))
      if ([s.iterations, s.phases, s.climb].filter(Boolean).length !== 1)
        ctx.addIssue({ code: 'custom', message: `${n}: exactly one of iterations, phases, climb` });
  });
export type Definition = z.infer<typeof definitionSchema>;

export function loadDefinition(file = DEFINITION_FILE): Definition {
  const parsed = definitionSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
