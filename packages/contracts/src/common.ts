import { z } from 'zod';

/** Ids are UUIDs, compared and stored in lower case whatever case a client sends. */
export const id = () => z.uuid().transform((s) => s.toLowerCase());

/** Timestamps travel as ISO 8601 strings. */
export const timestamp = () => z.iso.datetime({ offset: true });

/** Amounts are integer cents in an ISO 4217 currency. */
export const cents = () => z.int().min(0);
export const currency = () => z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

/** The one error shape every service answers with. */
export const errorBody = z.object({
  error: z.object({ code: z.string(), message: z.string(), trace_id: z.string().optional() }),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** Headers with a meaning between the services. */
export const HEADER = {
  REQUEST_ID: 'x-request-id',
  IDEMPOTENCY_KEY: 'idempotency-key',
} as const;
