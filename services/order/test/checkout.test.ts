import { order as orderContract } from '@tracequest/contracts';
import './preload';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eventually, isErrorBody } from '@tracequest/testkit';
import { CARDS } from './fakes';
import { orderIdOf, startOrderService, TestQueue, traceIdOf } from './harness';

let svc: Awaited<ReturnType<typeof startOrderService>>;
const queue = new TestQueue();

const ordersOf = async (userId: string) => (await svc.pool.query('SELECT * FROM orders WHERE user_id = $1', [userId])).rows;
const outboxOf = async (orderId: string) => (await svc.pool.query('SELECT * FROM outbox WHERE aggregate_id = $1', [orderId])).rows;

before(async () => {
  svc = await startOrderService();
  await eventually(async () => svc.relays[0].amqp.isReady(), 15_000);
});
after(async () => {
  await svc.close();
  await queue.remove();
});

describe('POST /orders: a successful checkout', () => {
  beforeEach(() => queue.reset());

  it('when stock and payment succeed, then 201 paid, the event is in the outbox with its trace context and is published once', async () => {
    const [a, b] = [svc.inventory.addProduct(1000), svc.inventory.addProduct(250)];
    const userId = randomUUID();
    const requestId = `req-${randomUUID()}`;
    const res = await svc.checkout(
      userId,
      [
        { product_id: a, quantity: 2 },
        { product_id: b, quantity: 1 },
      ],
      CARDS.ok,
      { 'x-request-id': requestId },
    );

    assert.equal(res.status, 201);
    // The answer is the order as its contract declares it, nothing more.
    assert.deepEqual(Object.keys(res.body).sort(), Object.keys(orderContract.shape).sort());
    assert.ok(orderContract.safeParse(res.body).success);
    assert.equal(res.body.status, 'paid');
    assert.equal(res.body.total_cents, 2250);
    assert.equal(res.body.currency, 'EUR');
    assert.deepEqual(
      res.body.items.map((i: any) => [i.product_id, i.quantity, i.price_cents]),
      [
        [a, 2, 1000],
        [b, 1, 250],
      ],
    );
    assert.match(res.body.items[0].sku, /^SKU-/);
    const orderId = res.body.id;

    const [order] = await ordersOf(userId);
    assert.equal(order.status, 'paid');
    const charge = svc.payment.calls.charge.find((c) => c.orderId === orderId)!;
    assert.equal(order.payment_id, charge.chargeId);
    assert.ok(svc.inventory.reservations.has(order.reservation_id));
    assert.equal(charge.idempotencyKey, orderId);
    assert.equal(charge.amountCents, 2250);
    assert.equal(charge.requestId, requestId);
    assert.equal(svc.inventory.calls.reserve.find((c) => c.orderId === orderId)?.requestId, requestId);
    assert.deepEqual(
      svc.inventory.calls.commit.filter((id) => id === order.reservation_id),
      [order.reservation_id],
    );
    assert.ok(!svc.inventory.calls.release.includes(order.reservation_id));

    const [row] = await outboxOf(orderId);
    assert.equal(row.event_type, 'order.paid');
    assert.equal(row.created_at.getTime(), order.updated_at.getTime(), 'written in the transaction that marked the order paid');
    assert.deepEqual(Object.keys(row.payload).sort(), [
      'currency',
      'event_id',
      'items',
      'occurred_at',
      'order_id',
      'total_cents',
      'type',
      'user_id',
    ]);
    assert.equal(row.payload.event_id, row.id);
    assert.equal(row.payload.user_id, userId);
    assert.equal(row.payload.total_cents, 2250);
    assert.equal(row.payload.items.length, 2);
    assert.match(row.trace_context.traceparent, /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    assert.ok(!JSON.stringify(row).includes(CARDS.ok), 'no card number in the outbox');

    const received = (await queue.collect([orderId], orderIdOf)).get(orderId)!;
    assert.equal(received.length, 1, 'published exactly once');
    const [msg] = received;
    assert.equal(msg.properties.messageId, row.id);
    assert.equal(msg.properties.contentType, 'application/json');
    assert.equal(msg.properties.deliveryMode, 2);
    assert.equal(msg.fields.routingKey, 'order.paid');
    assert.equal(JSON.parse(msg.content.toString()).event_id, row.id);
    assert.equal(
      traceIdOf(msg.properties.headers?.traceparent),
      traceIdOf(row.trace_context.traceparent),
      'the message continues the checkout trace',
    );
    assert.notEqual(msg.properties.headers?.traceparent, row.trace_context.traceparent);
    const [published] = await outboxOf(orderId);
    assert.ok(published.published_at instanceof Date);
    assert.equal(published.attempts, 1);
  });
});

describe('POST /orders: failed checkouts', () => {
  const noOutbox = async (userId: string) => {
    const [order] = await ordersOf(userId);
    assert.deepEqual(await outboxOf(order.id), []);
    return order;
  };

  it('when a product is out of stock, then 409 out_of_stock, the order is failed, nothing is charged or published', async () => {
    const p = svc.inventory.addProduct();
    svc.inventory.outOfStock.add(p);
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: p, quantity: 1 }]);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'out_of_stock'));
    const order = await noOutbox(userId);
    assert.equal(order.status, 'failed');
    assert.equal(order.failure_reason, 'out_of_stock');
    assert.equal(svc.payment.calls.charge.filter((c) => c.orderId === order.id).length, 0);
  });

  for (const [card, label] of [
    [CARDS.declined, 'declined'],
    [CARDS.expired, 'expired'],
  ]) {
    it(`when the card is ${label}, then 402 payment_declined, the reservation is released and the order failed`, async () => {
      const userId = randomUUID();
      const res = await svc.checkout(userId, [{ product_id: svc.inventory.addProduct(), quantity: 3 }], card);
      assert.equal(res.status, 402);
      assert.ok(isErrorBody(res.body, 'payment_declined'));
      const order = await noOutbox(userId);
      assert.equal(order.status, 'failed');
      assert.equal(order.failure_reason, 'payment_declined');
      assert.ok(svc.inventory.calls.release.includes(order.reservation_id), 'the fake inventory got the release');
      assert.ok(!svc.inventory.calls.commit.includes(order.reservation_id));
      assert.ok(!svc.payment.calls.void.includes(order.id), 'a decline took nothing: no void');
    });
  }

  it('when payment rejects the card number, then 400 invalid_card_number, released, failed as invalid_card', async () => {
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: svc.inventory.addProduct(), quantity: 1 }], CARDS.invalid);
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_card_number'));
    const order = await noOutbox(userId);
    assert.equal(order.failure_reason, 'invalid_card');
    assert.ok(svc.inventory.calls.release.includes(order.reservation_id));
  });

  it('when the payment provider fails, then 502 payment_failed, released, the payment voided, failed as payment_failed', async () => {
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: svc.inventory.addProduct(), quantity: 1 }], CARDS.providerError);
    assert.equal(res.status, 502);
    assert.ok(isErrorBody(res.body, 'payment_failed'));
    const order = await noOutbox(userId);
    assert.equal(order.status, 'failed');
    assert.equal(order.failure_reason, 'payment_failed');
    assert.ok(svc.inventory.calls.release.includes(order.reservation_id));
    assert.deepEqual(
      svc.payment.calls.void.filter((id) => id === order.id),
      [order.id],
      'a charge it cannot see is undone',
    );
  });

  it('when a product does not exist, then 404 product_not_found and no order row is left', async () => {
    const userId = randomUUID();
    const res = await svc.checkout(userId, [
      { product_id: svc.inventory.addProduct(), quantity: 1 },
      { product_id: randomUUID(), quantity: 1 },
    ]);
    assert.equal(res.status, 404);
    assert.ok(isErrorBody(res.body, 'product_not_found'));
    assert.deepEqual(await ordersOf(userId), []);
    assert.equal(
      (await svc.pool.query('SELECT count(*)::int AS n FROM order_items i LEFT JOIN orders o ON o.id = i.order_id WHERE o.id IS NULL'))
        .rows[0].n,
      0,
    );
  });

  it('when the reservation expired before commit, then 409 reservation_expired and the charge is refunded', async () => {
    const p = svc.inventory.addProduct();
    svc.inventory.expiring.add(p);
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: p, quantity: 1 }]);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'reservation_expired'));
    const order = await noOutbox(userId);
    assert.equal(order.status, 'failed');
    assert.equal(order.failure_reason, 'reservation_expired');
    const charge = svc.payment.calls.charge.find((c) => c.orderId === order.id)!;
    assert.deepEqual(
      svc.payment.calls.refund.filter((id) => id === charge.chargeId),
      [charge.chargeId],
    );
  });

  it('when the commit fails with a 5xx, then 502 upstream_error, the charge is refunded and the reservation released', async () => {
    const p = svc.inventory.addProduct();
    svc.inventory.commitFailing.add(p);
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: p, quantity: 1 }]);
    assert.equal(res.status, 502);
    assert.ok(isErrorBody(res.body, 'upstream_error'));
    const order = await noOutbox(userId);
    assert.equal(order.failure_reason, 'inventory_failed');
    const charge = svc.payment.calls.charge.find((c) => c.orderId === order.id)!;
    assert.ok(svc.payment.calls.refund.includes(charge.chargeId!));
    assert.ok(svc.inventory.calls.release.includes(order.reservation_id));
  });

  it('when inventory fails with a 5xx, then 502 upstream_error and the order is failed, nothing charged', async () => {
    const p = svc.inventory.addProduct();
    svc.inventory.failing.add(p);
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: p, quantity: 1 }]);
    assert.equal(res.status, 502);
    assert.ok(isErrorBody(res.body, 'upstream_error'));
    const order = await noOutbox(userId);
    assert.equal(order.failure_reason, 'inventory_failed');
    assert.equal(svc.payment.calls.charge.filter((c) => c.orderId === order.id).length, 0);
  });

  it('when inventory answers the reserve with a deliberate 503, then nothing is released by order id (nothing was reserved)', async () => {
    const p = svc.inventory.addProduct();
    svc.inventory.refusing.add(p);
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: p, quantity: 1 }]);
    assert.equal(res.status, 503);
    const order = await noOutbox(userId);
    assert.equal(order.failure_reason, 'inventory_failed');
    assert.deepEqual(
      svc.inventory.calls.releaseOrder.filter((id) => id === order.id),
      [],
    );
  });

  it('when the reserve call times out, then the order is failed and its reservation, made after all, is released by order id', async () => {
    const p = svc.inventory.addProduct();
    svc.inventory.answeredLate.add(p);
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: p, quantity: 1 }]);
    assert.equal(res.status, 504);
    assert.ok(isErrorBody(res.body, 'upstream_timeout'));
    const order = await noOutbox(userId);
    assert.equal(order.failure_reason, 'inventory_failed');
    assert.equal(order.reservation_id, null);
    assert.deepEqual(
      svc.inventory.calls.releaseOrder.filter((id) => id === order.id),
      [order.id],
    );
    assert.equal(svc.payment.calls.charge.filter((c) => c.orderId === order.id).length, 0);
  });
});
