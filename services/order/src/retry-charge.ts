import { trace } from '@opentelemetry/api';
import { type Charge, MAX_CHARGE_ATTEMPTS } from '@tracequest/contracts';
import { type Faults, markFault, sleep } from '@tracequest/faults';
import { AppError } from '@tracequest/service-kit';
import { ATTR, EVENT, type Logger } from '@tracequest/telemetry';

const FIXED_RETRIES = 3;
const BASE_DELAY_MS = 50;

// Answers that tell nothing of the charge: it may have gone through after order stopped listening.
const UNKNOWN_OUTCOME = new Set(['upstream_timeout', 'upstream_unavailable', 'upstream_error']);

// A provider failure (5xx) or a lost answer is worth retrying, and so is a charge payment still works
// on; a decline or a bad card will not change.
const retriable = (err: unknown) => err instanceof AppError && (err.status >= 500 || err.code === 'charge_in_progress');
// Only a charge known to have taken nothing may be retried under a new idempotency key.
const tookNothing = (err: unknown) => err instanceof AppError && err.status >= 500 && !UNKNOWN_OUTCOME.has(err.code);

/**
 * Charges once, unless the retry_storm fault is on: then a failed charge is retried at once, again
 * and again. Its fix retries a few times with exponential backoff and jitter. The order id is the
 * first idempotency key; a retry takes a new one only after a failure that took no money. After a
 * timeout or a lost answer the charge may have succeeded, so the retry reuses the key and payment
 * replays that charge instead of taking the money twice.
 */
export async function chargeWithRetries(
  deps: { faults?: Faults; logger: Logger },
  charge: (key: string) => Promise<Charge>,
  orderId: string,
): Promise<Charge> {
  const storm = await deps.faults?.get('retry_storm');
  if (!storm) return charge(orderId);
  const fixed = Boolean(storm.fix);
  const retries = Math.min(fixed ? FIXED_RETRIES : Number(storm.retries), MAX_CHARGE_ATTEMPTS - 1);
  markFault('retry_storm', { 'fault.retries': retries, 'fault.fixed': fixed });
  if (fixed) deps.logger.info({ order_id: orderId }, 'fix applied: payment retries back off with jitter');
  let key = orderId;
  for (let attempt = 0, keys = 0; ; attempt++) {
    try {
      return await charge(key);
    } catch (err) {
      if (!retriable(err) || attempt >= retries) throw err;
      if (tookNothing(err)) key = `${orderId}-retry-${++keys}`;
      const delayMs = fixed ? Math.round(BASE_DELAY_MS * 2 ** attempt * (0.5 + Math.random())) : 0;
      trace.getActiveSpan()?.addEvent(EVENT.RETRY, { [ATTR.RETRY_ATTEMPT]: attempt + 1, [ATTR.RETRY_DELAY_MS]: delayMs });
      if (delayMs) await sleep(delayMs);
    }
  }
}
