import './preload';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isErrorBody, request, testSigningKey } from '@tracequest/testkit';
import { readConfig } from '../src/config';
import { CARDS } from './fakes';
import { env, startOrderService } from './harness';

let svc: Awaited<ReturnType<typeof startOrderService>>;
let product: string;

const countOrders = async (userId?: string) =>
  Number((await svc.pool.query(`SELECT count(*) FROM orders ${userId ? 'WHERE user_id = $1' : ''}`, userId ? [userId] : [])).rows[0].count);
const paidOrder = async (userId = randomUUID()) => {
  const res = await svc.checkout(userId, [{ product_id: product, quantity: 1 }]);
  assert.equal(res.status, 201);
  return res.body.id as string;
};

before(async () => {
  svc = await startOrderService({ relay: false });
  product = svc.inventory.addProduct(500);
});
after(() => svc.close());

describe('POST /orders: bad input', () => {
  const payment = { card_number: CARDS.ok, exp_month: 12, exp_year: 2099, cvc: '123' };
  const item = () => ({ product_id: product, quantity: 1 });
  const cases: [string, unknown, number, string][] = [
    ['items is not an array', { items: 'all', payment }, 400, 'validation_failed'],
    ['no items', { items: [], payment }, 400, 'validation_failed'],
    [
      '51 items',
      { items: Array.from({ length: 51 }, () => ({ product_id: randomUUID(), quantity: 1 })), payment },
      400,
      'validation_failed',
    ],
    ['a quantity of 0', { items: [{ ...item(), quantity: 0 }], payment }, 400, 'validation_failed'],
    ['a quantity of 101', { items: [{ ...item(), quantity: 101 }], payment }, 400, 'validation_failed'],
    ['a quantity as a string', { items: [{ ...item(), quantity: '1' }], payment }, 400, 'validation_failed'],
    ['a product id that is not a uuid', { items: [{ product_id: 'p-1', quantity: 1 }], payment }, 400, 'validation_failed'],
    ['the same product twice', { items: [item(), item()], payment }, 400, 'validation_failed'],
    ['an unknown top-level field', { items: [item()], payment, coupon: 'FREE' }, 400, 'validation_failed'],
    ['an unknown item field', { items: [{ ...item(), price_cents: 1 }], payment }, 400, 'validation_failed'],
    ['an unknown payment field', { items: [item()], payment: { ...payment, name: 'A' } }, 400, 'validation_failed'],
    ['no payment', { items: [item()] }, 400, 'validation_failed'],
    ['a card number with letters', { items: [item()], payment: { ...payment, card_number: '4242abcd42424242' } }, 400, 'validation_failed'],
    ['a card number of 11 digits', { items: [item()], payment: { ...payment, card_number: '42424242424' } }, 400, 'validation_failed'],
    ['a 5-digit cvc', { items: [item()], payment: { ...payment, cvc: '12345' } }, 400, 'validation_failed'],
    ['month 13', { items: [item()], payment: { ...payment, exp_month: 13 } }, 400, 'validation_failed'],
    ['a year as a string', { items: [item()], payment: { ...payment, exp_year: '2099' } }, 400, 'validation_failed'],
    ['a huge body', { items: [item()], payment, note: 'x'.repeat(100_000) }, 413, 'payload_too_large'],
  ];
  for (const [label, body, status, code] of cases) {
    it(`when the body has ${label}, then ${status} ${code} and nothing is written or called`, async () => {
      const userId = randomUUID();
      const reserves = svc.inventory.calls.reserve.length;
      const res = await request(svc.app.url, 'POST', '/orders', { ...(await svc.asUser(userId)), body });
      assert.equal(res.status, status);
      assert.ok(isErrorBody(res.body, code), JSON.stringify(res.body));
      assert.equal(await countOrders(userId), 0);
      assert.equal(svc.inventory.calls.reserve.length, reserves);
    });
  }

  it('when the body is malformed JSON, then 400 invalid_json and nothing is written', async () => {
    const userId = randomUUID();
    const res = await request(svc.app.url, 'POST', '/orders', { ...(await svc.asUser(userId)), raw: '{"items": [' });
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_json'));
    assert.equal(await countOrders(userId), 0);
  });

  for (const [label, headers] of [
    ['no token', {}],
    ['only a bare x-user-id header', { 'x-user-id': randomUUID() }],
    ['a token signed by another key', 'forged'],
    ["the worker's service token", 'worker'],
  ] as const) {
    it(`when the request has ${label}, then 401/403 and nothing is written or called`, async () => {
      const before = await countOrders();
      const reserves = svc.inventory.calls.reserve.length;
      const body = { items: [{ product_id: product, quantity: 1 }], payment };
      const token =
        headers === 'forged'
          ? await (await testSigningKey()).sign(randomUUID())
          : headers === 'worker'
            ? await svc.auth.signService('worker')
            : undefined;
      const res = await request(svc.app.url, 'POST', '/orders', { headers: typeof headers === 'string' ? {} : headers, body, token });
      assert.equal(res.status, headers === 'worker' ? 403 : 401);
      assert.ok(isErrorBody(res.body));
      assert.equal(await countOrders(), before);
      assert.equal(svc.inventory.calls.reserve.length, reserves);
    });
  }
});

describe('GET /orders and GET /orders/:id', () => {
  const alice = randomUUID();
  const bob = randomUUID();
  let aliceOrders: string[];
  let bobOrder: string;
  before(async () => {
    aliceOrders = [await paidOrder(alice), await paidOrder(alice)];
    bobOrder = await paidOrder(bob);
  });

  it('when a user lists orders, then only theirs come back, newest first', async () => {
    const res = await request(svc.app.url, 'GET', '/orders', { ...(await svc.asUser(alice)) });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.items.map((o: any) => o.id),
      [...aliceOrders].reverse(),
    );
    const bobs = await request(svc.app.url, 'GET', '/orders', { ...(await svc.asUser(bob)) });
    assert.deepEqual(
      bobs.body.items.map((o: any) => o.id),
      [bobOrder],
    );
  });

  it('when a user reads their order, then 200 with its status, total and items', async () => {
    const res = await request(svc.app.url, 'GET', `/orders/${aliceOrders[0]}`, { ...(await svc.asUser(alice)) });
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), [
      'created_at',
      'currency',
      'failure_reason',
      'id',
      'items',
      'shipment_id',
      'status',
      'total_cents',
      'updated_at',
    ]);
    assert.equal(res.body.status, 'paid');
    assert.equal(res.body.total_cents, 500);
    assert.equal(res.body.items[0].product_id, product);
  });

  for (const [label, path, user] of [
    ["another user's order", () => `/orders/${bobOrder}`, () => alice],
    ['an unknown id', () => `/orders/${randomUUID()}`, () => alice],
    ['an id that is not a uuid', () => '/orders/42', () => alice],
  ] as const) {
    it(`when a user asks for ${label}, then 404 not_found`, async () => {
      const res = await request(svc.app.url, 'GET', path(), { ...(await svc.asUser(user())) });
      assert.equal(res.status, 404);
      assert.ok(isErrorBody(res.body, 'not_found'));
    });
  }

  it('when the token is missing, or only a bare x-user-id header is sent, then 401 unauthenticated', async () => {
    for (const headers of [{}, { 'x-user-id': bob }] as Record<string, string>[]) {
      assert.equal((await request(svc.app.url, 'GET', '/orders', { headers })).status, 401);
      assert.equal((await request(svc.app.url, 'GET', `/orders/${bobOrder}`, { headers })).status, 401);
    }
  });
});

describe('POST /orders/:id/fulfilment', () => {
  const fulfil = async (id: string, body: unknown = { shipment_id: randomUUID() }, token?: string) =>
    request(svc.app.url, 'POST', `/orders/${id}/fulfilment`, { body, token: token ?? (await svc.auth.signService('worker')) });
  const statusOf = async (id: string) => (await svc.pool.query('SELECT status, shipment_id FROM orders WHERE id = $1', [id])).rows[0];

  it("when fulfilment comes without a token, with a shopper's (even the order's owner) or order's own, then 401/403 and the order stays paid", async () => {
    const owner = randomUUID();
    const id = await paidOrder(owner);
    const res = [
      await request(svc.app.url, 'POST', `/orders/${id}/fulfilment`, { body: { shipment_id: randomUUID() } }),
      await fulfil(id, undefined, await svc.auth.sign(owner)),
      await fulfil(id, undefined, await svc.auth.signService('order')),
    ];
    assert.deepEqual(
      res.map((r) => r.status),
      [401, 403, 403],
    );
    assert.equal((await statusOf(id)).status, 'paid');
  });

  it('when a paid order is fulfilled, then 200 fulfilled with the shipment, and again 200 without change', async () => {
    const id = await paidOrder();
    const shipmentId = randomUUID();
    const res = await fulfil(id, { shipment_id: shipmentId });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id, status: 'fulfilled' });
    assert.deepEqual(await statusOf(id), { status: 'fulfilled', shipment_id: shipmentId });
    const again = await fulfil(id);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { id, status: 'fulfilled' });
    assert.equal((await statusOf(id)).shipment_id, shipmentId);
  });

  it('when the order failed, then 409 order_not_paid and it stays failed', async () => {
    const userId = randomUUID();
    const res = await svc.checkout(userId, [{ product_id: product, quantity: 1 }], CARDS.declined);
    assert.equal(res.status, 402);
    const { id } = (await svc.pool.query('SELECT id FROM orders WHERE user_id = $1', [userId])).rows[0];
    const out = await fulfil(id);
    assert.equal(out.status, 409);
    assert.ok(isErrorBody(out.body, 'order_not_paid'));
    assert.equal((await statusOf(id)).status, 'failed');
  });

  it('when the order is unknown or the id is not a uuid, then 404 not_found', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const res = await fulfil(id);
      assert.equal(res.status, 404);
      assert.ok(isErrorBody(res.body, 'not_found'));
    }
  });

  it('when the body is not {shipment_id: uuid}, then 400 and the order stays paid', async () => {
    const id = await paidOrder();
    for (const body of [{}, { shipment_id: 'x' }, { shipment_id: randomUUID(), carrier: 'x' }]) {
      const res = await fulfil(id, body);
      assert.equal(res.status, 400);
      assert.ok(isErrorBody(res.body, 'validation_failed'));
    }
    assert.equal((await statusOf(id)).status, 'paid');
  });
});

describe('health and config', () => {
  it('when Postgres answers, then /readyz is 200 (RabbitMQ is not part of readiness)', async () => {
    const res = await request(svc.app.url, 'GET', '/readyz');
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.checks, { postgres: 'ok' });
  });

  it('when config values are out of range or missing, then config names the variable', () => {
    assert.equal(readConfig({ ...env, OUTBOX_POLL_INTERVAL_MS: undefined }).OUTBOX_POLL_INTERVAL_MS, 500);
    assert.throws(() => readConfig({ ...env, OUTBOX_POLL_INTERVAL_MS: '10' }), /OUTBOX_POLL_INTERVAL_MS/);
    assert.throws(() => readConfig({ ...env, PAYMENT_URL: 'not a url' }), /PAYMENT_URL/);
    assert.throws(() => readConfig({ ...env, AMQP_URL: undefined }), /AMQP_URL/);
    assert.throws(
      () => readConfig({ ...env, UPSTREAM_TIMEOUT_MS: '5000', ABANDONED_CHECKOUT_AFTER_MS: '49999' }),
      /ABANDONED_CHECKOUT_AFTER_MS: must be at least 10 x/,
    );
    assert.equal(
      readConfig({ ...env, UPSTREAM_TIMEOUT_MS: '5000', ABANDONED_CHECKOUT_AFTER_MS: '50000' }).ABANDONED_CHECKOUT_AFTER_MS,
      50_000,
    );
  });
});
