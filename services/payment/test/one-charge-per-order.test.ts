import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually, isErrorBody } from '@tracequest/testkit';
import { body, charge, holdProvider, pool, providerCalls, rowsFor, startPayment, stopPayment } from './fixtures';

before(startPayment);
after(stopPayment);

describe('POST /charges: one succeeded charge per order', () => {
  it('when the order already has a succeeded charge, then another key is refused with 409 and the card is not charged again', async () => {
    const b = body();
    assert.equal((await charge(b)).status, 201);
    const calls = providerCalls.length;

    const res = await charge(b, randomUUID());
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'order_already_charged'));
    assert.equal(providerCalls.length, calls);
    const statuses = (await rowsFor(b.order_id)).map((r) => r.status).sort();
    assert.deepEqual(statuses, ['failed', 'succeeded']);
  });

  it('when two keys charge the same order at once, then the database keeps one succeeded and the other is refunded', async () => {
    const b = body();
    const open = holdProvider();
    const calls = providerCalls.length;
    const both = Promise.all([charge(b, randomUUID()), charge(b, randomUUID())]);
    await eventually(async () => providerCalls.length === calls + 2, 5000, 20);
    open();
    const statuses = (await both).map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, 409]);
    const rows = (await rowsFor(b.order_id)).map((r) => [r.status, r.failure_code]).sort();
    assert.deepEqual(rows, [
      ['refunded', 'order_already_charged'],
      ['succeeded', null],
    ]);
  });

  it('when a second succeeded row is written for an order, then Postgres refuses it', async () => {
    const b = body();
    assert.equal((await charge(b)).status, 201);
    await assert.rejects(
      pool.query(
        `INSERT INTO charges (idempotency_key, request_hash, order_id, amount_cents, currency, card_last4, status)
         VALUES ($1, 'x', $2, 100, 'USD', '4242', 'succeeded')`,
        [randomUUID(), b.order_id],
      ),
      { code: '23505' },
    );
  });
});
