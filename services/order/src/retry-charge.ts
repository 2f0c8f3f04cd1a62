import { trace } from '@opentelemetry/api';
import type { Charge } from '@tracequest/contracts';
import { type Faults, markFault, sleep } from '@tracequest/faults';
import { AppError } from '@tracequest/service-kit';
import { ATTR, EVENT, type Logger } from '@tracequest/telemetry';

const FIXED_RETRIES = 3;
const BASE_DELAY_MS = 50;

// Only a provider failure (5xx) is worth retrying; a decline or bad card will not change.
const retriable = (err: unknown) => err instanceof AppError && err.status >= 500;

/**
 * Charges once, unless the retry_storm fault is on: then a failed charge is retried at once, again
 * and again. Its fix retries a few times with exponential backoff and jitter. A retry uses a new
 * idempotency key, because the failed attempt took no money; the order id stays the first key.
 */
export async function chargeWithRetries(
  deps: { faults?: Faults; logger: Logger },
  charge: (key: string) => Promise<Charge>,
  orderId: string,
): Promise<Charge> {
  const storm = await deps.faults?.get('retry_storm');
  if (!storm) return charge(orderId);
  const fixed = Boolean(storm.fix);
  const retries = fixed ? FIXED_RETRIES : Number(storm.retries);
  markFault('retry_storm', { 'fault.retries': retries, 'fault.fixed': fixed });
  if (fixed) deps.logger.info({ order_id: orderId }, 'fix applied: payment retries back off with jitter');
  for (let attempt = 0; ; attempt++) {
    try {
      return await charge(attempt === 0 ? orderId : `${orderId}-retry-${attempt}`);
    } catch (err) {
      if (!retriable(err) || attempt >= retries) throw err;
      trace.getActiveSpan()?.addEvent(EVENT.RETRY, { [ATTR.DELIVERY_ATTEMPT]: attempt + 1 });
      if (fixed) await sleep(BASE_DELAY_MS * 2 ** attempt * (0.5 + Math.random()));
    }
  }
}
