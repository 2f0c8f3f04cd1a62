import { z } from 'zod';

/** Where a learner stands with a quest. */
export const QUEST_STATUSES = ['locked', 'not_started', 'started', 'completed'] as const;
export type QuestStatus = (typeof QUEST_STATUSES)[number];

export const questSummary = z.object({
  id: z.string(),
  title: z.string(),
  summary: z.string(),
  status: z.enum(QUEST_STATUSES),
  /** The badges earned with it. */
  badges: z.array(z.string()),
  /** Completed, and its set-up (its incident) still on: nothing else was started or stopped since. */
  setUpStill: z.boolean().optional(),
  /** Why it cannot be started here now (a quest before it to finish, a backend this stack lacks). */
  blocked: z.string().optional(),
  /** How many of its hints were given (here or with npm run quest -- hint): an open quest shows new ones. */
  hintsGiven: z.int().min(0).optional(),
});
export type QuestSummary = z.infer<typeof questSummary>;

/** A knowledge-check question; with choices it is multiple choice, without them free text. */
export const questQuestion = z.object({ id: z.string(), prompt: z.string(), choices: z.array(z.string()).optional() });
export type QuestQuestion = z.infer<typeof questQuestion>;

/** console server -> browser: the quests a runner offers, and whether a runner is connected at all. */
export const questList = z.object({ items: z.array(questSummary), runner: z.object({ name: z.string(), connected: z.boolean() }) });
export type QuestList = z.infer<typeof questList>;

export const questHint = z.object({ index: z.int().min(0), text: z.string(), remaining: z.int().min(0) });
export type QuestHint = z.infer<typeof questHint>;

/** One quest once started: what to do, and the questions its check asks. */
export const questDetail = questSummary.extend({
  brief: z.string(),
  /** What the check wants besides the answers: the id of a trace, of a span in it. */
  asks: z.array(z.enum(['trace', 'span'])),
  /** Which trace or span the quest means, where it says more than "trace id" ("the span id you made up"). */
  labels: z.object({ trace: z.string().optional(), span: z.string().optional() }).optional(),
  questions: z.array(questQuestion),
  hints: z.int().min(0),
  /** The quest's steps, as its file numbers them. */
  steps: z.array(z.string()),
  /** The hints already given (with npm run quest too), in order. */
  hintsGiven: z.array(questHint).optional(),
});
export type QuestDetail = z.infer<typeof questDetail>;

/** browser -> console server: the learner's answer, with the trace and span they found. */
export const questCheckRequest = z.strictObject({
  trace_id: z
    .string()
    .regex(/^[0-9a-f]{32}$/, 'the trace id is 32 hex digits (0-9, a-f), as the trace view shows it')
    .optional(),
  span_id: z
    .string()
    .regex(/^[0-9a-f]{16}$/, 'the span id is 16 hex digits (0-9, a-f), as the trace view shows it')
    .optional(),
  answers: z.record(z.string(), z.string().max(500)).optional(),
});
export type QuestCheckRequest = z.infer<typeof questCheckRequest>;

export const questCheckResult = z.object({
  /** The check against the live traces passed. */
  passed: z.boolean(),
  /** This check and this knowledge check both passed: the quest is complete (again, when played again). */
  done: z.boolean(),
  feedback: z.array(z.object({ about: z.string(), ok: z.boolean(), message: z.string() })),
});
export type QuestCheckResult = z.infer<typeof questCheckResult>;
