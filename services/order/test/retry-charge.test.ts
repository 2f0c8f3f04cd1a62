import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Charge } from '@tracequest/contracts';
import type { Faults } from '@tracequest/faults';
import { AppError } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { chargeWithRetries } from '../src/retry-charge';

const logger = createLogger('order-test', 'silent');
const storm = (params: Record<string, unknown>) =>
  ({ get: async (name: string) => (name === 'retry_storm' ? params : undefined) }) as unknown as Faults;

/** A charge that fails with the given errors, in turn, then succeeds; records the keys it was called with. */
function charges(orderId: string, failures: AppError[]) {
  const keys: string[] = [];
  const charge = async (key: string): Promise<Charge> => {
    keys.push(key);
    const failure = failures.shift();
    if (failure) throw failure;
    return { id: randomUUID(), order_id: orderId, status: 'succeeded', amount_cents: 100, currency: 'EUR', card_last4: '4242' };
  };
  return { keys, charge };
}

describe('order: charge retries', () => {
  it('when a charge times out, then the retry reuses its idempotency key (the charge may have gone through)', async () => {
    const orderId = randomUUID();
    const c = charges(orderId, [new AppError(504, 'upstream_timeout', 'payment did not answer in time')]);
    await chargeWithRetries({ logger, faults: storm({ retries: 3 }) }, c.charge, orderId);
    assert.deepEqual(c.keys, [orderId, orderId]);
  });

  it('when the answer is lost or the charge is still in progress, then the key stays the same', async () => {
    const orderId = randomUUID();
    const c = charges(orderId, [
      new AppError(503, 'upstream_unavailable', 'payment is unavailable'),
      new AppError(409, 'charge_in_progress', 'still in progress'),
      new AppError(502, 'upstream_error', 'payment failed'),
    ]);
    await chargeWithRetries({ logger, faults: storm({ retries: 5, fix: true }) }, c.charge, orderId);
    assert.deepEqual(c.keys, [orderId, orderId, orderId, orderId]);
  });

  it('when the provider failed the charge, then the retry takes a new key (that charge took nothing)', async () => {
    const orderId = randomUUID();
    const c = charges(orderId, [new AppError(502, 'provider_error', 'the provider failed'), new AppError(504, 'upstream_timeout', 'late')]);
    await chargeWithRetries({ logger, faults: storm({ retries: 3 }) }, c.charge, orderId);
    assert.deepEqual(c.keys, [orderId, `${orderId}-retry-1`, `${orderId}-retry-1`]);
  });

  it('when the card is declined, then nothing is retried', async () => {
    const orderId = randomUUID();
    const c = charges(orderId, [new AppError(402, 'card_declined', 'declined')]);
    await assert.rejects(chargeWithRetries({ logger, faults: storm({ retries: 3 }) }, c.charge, orderId), { code: 'card_declined' });
    assert.deepEqual(c.keys, [orderId]);
  });
});
