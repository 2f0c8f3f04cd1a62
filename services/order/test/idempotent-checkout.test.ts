import './preload';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isErrorBody } from '@tracequest/testkit';
import { IdempotencyKeyRepository } from '../src/idempotency-key-repository';
import { CARDS } from './fakes';
import { startOrderService } from './harness';

let svc: Awaited<ReturnType<typeof startOrderService>>;
before(async () => {
  svc = await startOrderService({ relay: false });
});
after(() => svc.close());

const ordersOf = async (userId: string) => (await svc.pool.query('SELECT id FROM orders WHERE user_id = $1', [userId])).rows;
const chargesOf = (orderId: string) => svc.payment.calls.charge.filter((c) => c.orderId === orderId);
const keyed = (key: string) => ({ 'idempotency-key': key });

describe('POST /orders with an Idempotency-Key', () => {
  it('when the same key comes with the same body, then the same order is answered again: one order, one charge', async () => {
    const p = svc.inventory.addProduct();
    const userId = randomUUID();
    const key = randomUUID();
    const first = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    const again = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    assert.equal(first.status, 201);
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first.body);
    assert.equal((await ordersOf(userId)).length, 1);
    assert.equal(chargesOf(first.body.id).length, 1);
  });

  it("when the first request's process died after its order was paid, then a retry gets that order; after it failed, 409 checkout_failed", async () => {
    const p = svc.inventory.addProduct();
    const userId = randomUUID();
    const [paidKey, failedKey] = [randomUUID(), randomUUID()];
    const paid = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(paidKey));
    const failed = await svc.checkout(userId, [{ product_id: p, quantity: 2 }], CARDS.ok, keyed(failedKey));
    // As if each process had died before storing its answer: the keys are still in flight, with their orders.
    await svc.pool.query('UPDATE idempotency_keys SET status_code = NULL, response = NULL WHERE user_id = $1', [userId]);
    await svc.pool.query("UPDATE orders SET status = 'failed', failure_reason = 'abandoned' WHERE id = $1", [failed.body.id]);
    const again = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(paidKey));
    assert.equal(again.status, 201);
    assert.equal(again.body.id, paid.body.id);
    const lost = await svc.checkout(userId, [{ product_id: p, quantity: 2 }], CARDS.ok, keyed(failedKey));
    assert.equal(lost.status, 409);
    assert.ok(isErrorBody(lost.body, 'checkout_failed'));
    assert.equal((await ordersOf(userId)).length, 2, 'no order placed again');
    assert.equal(chargesOf(paid.body.id).length, 1);
    // Such keys outlive the in-flight pruning: a later retry still finds the order.
    await new IdempotencyKeyRepository(svc.pool).prune(86_400_000, 0);
    assert.equal((await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(paidKey))).body.id, paid.body.id);
  });

  it('when the same key comes with a different body, then 422 idempotency_key_reused and nothing is placed', async () => {
    const p = svc.inventory.addProduct();
    const userId = randomUUID();
    const key = randomUUID();
    assert.equal((await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key))).status, 201);
    const other = await svc.checkout(userId, [{ product_id: p, quantity: 2 }], CARDS.ok, keyed(key));
    assert.equal(other.status, 422);
    assert.ok(isErrorBody(other.body, 'idempotency_key_reused'));
    assert.equal((await ordersOf(userId)).length, 1);
  });

  it('when the first request with the key is still running, then 409 idempotency_key_in_flight; after its 5xx the key is free', async () => {
    const p = svc.inventory.addProduct();
    svc.inventory.answeredLate.add(p);
    const userId = randomUUID();
    const key = randomUUID();
    const first = svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    await new Promise((r) => setTimeout(r, 300));
    const during = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    assert.equal(during.status, 409);
    assert.ok(isErrorBody(during.body, 'idempotency_key_in_flight'));
    assert.equal((await first).status, 504);
    svc.inventory.answeredLate.delete(p);
    const retry = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    assert.equal(retry.status, 201);
  });

  it('when another user sends the same key, then it is a checkout of its own', async () => {
    const p = svc.inventory.addProduct();
    const key = randomUUID();
    const [a, b] = [randomUUID(), randomUUID()];
    const first = await svc.checkout(a, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    const second = await svc.checkout(b, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    assert.equal(second.status, 201);
    assert.notEqual(second.body.id, first.body.id);
  });

  it('when the first answer was a decline, then a retry gets the same 402 and the card is not charged again', async () => {
    const p = svc.inventory.addProduct();
    const userId = randomUUID();
    const key = randomUUID();
    const first = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.declined, keyed(key));
    const again = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.declined, keyed(key));
    assert.deepEqual([first.status, again.status], [402, 402]);
    assert.ok(isErrorBody(again.body, 'payment_declined'));
    const [order] = await ordersOf(userId);
    assert.equal(chargesOf(order.id).length, 1);
  });

  it('when the key is malformed, then 400 invalid_idempotency_key', async () => {
    const res = await svc.checkout(randomUUID(), [{ product_id: svc.inventory.addProduct(), quantity: 1 }], CARDS.ok, keyed('no spaces'));
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_idempotency_key'));
  });

  it('when a key is older than its TTL, then the sweep prunes it and the key is free again', async () => {
    const p = svc.inventory.addProduct();
    const userId = randomUUID();
    const key = randomUUID();
    const first = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    await svc.pool.query(`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1`, [userId]);
    assert.ok((await new IdempotencyKeyRepository(svc.pool).prune(86_400_000, 300_000)) >= 1);
    const later = await svc.checkout(userId, [{ product_id: p, quantity: 1 }], CARDS.ok, keyed(key));
    assert.equal(later.status, 201);
    assert.notEqual(later.body.id, first.body.id);
  });
});
