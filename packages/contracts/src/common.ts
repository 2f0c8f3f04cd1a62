import { z } from 'zod';

/** Ids are UUIDs, compared and stored in lower case whatever case a client sends. */
export const id = () => z.uuid().transform((s) => s.toLowerCase());

/**
 * Text a person typed: no control characters (a NUL byte cannot even be stored in Postgres) and no
 * half of a surrogate pair, so what is accepted can be stored, logged and shown as it came.
 */
export const text = () => z.string().regex(/^[^\p{Cc}\p{Cs}]*$/u, 'must not contain control characters');

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
  /** The client's address, set by the gateway from its socket (a client's own value is dropped). */
  FORWARDED_FOR: 'x-forwarded-for',
  /** The calling service's own token, beside the shopper's it relays: "this shopper, through order". */
  SERVICE_TOKEN: 'x-service-token',
} as const;

/** The errors an Idempotency-Key can be answered with, wherever it is taken (a checkout, a charge). */
export const IDEMPOTENCY_ERROR = {
  /** 400: not 1 to 100 characters of A-Z a-z 0-9 _ - */
  INVALID: 'invalid_idempotency_key',
  /** 422 for a checkout (409 for a charge): the key was used for a different request. */
  REUSED: 'idempotency_key_reused',
  /** 409: the first request with this key has not answered yet. */
  IN_FLIGHT: 'idempotency_key_in_flight',
} as const;
