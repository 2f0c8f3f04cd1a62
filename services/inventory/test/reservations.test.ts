import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { HEADER } from '@tracequest/contracts';
import { ATTR } from '@tracequest/telemetry';
import { isErrorBody, recordSpans, request, type Started, testSigningKey } from '@tracequest/testkit';
import { auth, call, createProduct, pool, reservationsOf, reserve, startInventory, stockOf, stopInventory } from './fixtures';

const spans = recordSpans();
let app: Started;
before(async () => {
  app = await startInventory();
});
after(stopInventory);

describe('who may hold stock', () => {
  it("when a reservation comes with no token, a forged one, the worker's, or a shopper's straight from the shopper, then 401/403 and no stock moves; a shopper's through order, or order's, is served", async () => {
    const p = await createProduct(10);
    const forged = await (await testSigningKey()).sign(randomUUID());
    for (const [token, status] of [
      [undefined, 401],
      [forged, 401],
      [await auth!.signService('worker'), 403],
    ] as const) {
      const orderId = randomUUID();
      const res = await request(app.url, 'POST', '/reservations', {
        body: { order_id: orderId, items: [{ product_id: p.id, quantity: 2 }] },
        ...(token ? { token } : {}),
      });
      assert.equal(res.status, status);
      assert.deepEqual(await reservationsOf(orderId), []);
    }
    assert.equal(await stockOf(p.id), 10);
    const shopper = await auth!.sign(randomUUID());
    const body = () => ({ order_id: randomUUID(), items: [{ product_id: p.id, quantity: 2 }] });
    const direct = await call(app.url, 'POST', '/reservations', { body: body(), token: shopper });
    assert.equal(direct.status, 403, "a shopper's token alone: only through order");
    const beside = async (service: 'order' | 'worker') =>
      call(app.url, 'POST', '/reservations', {
        body: body(),
        token: shopper,
        headers: { [HEADER.SERVICE_TOKEN]: await auth!.signService(service) },
      });
    assert.equal((await beside('worker')).status, 403, 'through the worker: no');
    assert.equal(await stockOf(p.id), 10);
    assert.equal((await beside('order')).status, 201, 'through order: yes');
    assert.equal((await reserve(app.url, [{ product_id: p.id, quantity: 1 }])).status, 201);
  });
});

describe('POST /reservations', () => {
  it('when every item is in stock, then 201 held with prices and total, and the stock is taken', async () => {
    const [a, b] = [await createProduct(10, 250), await createProduct(5, 1000)];
    const orderId = randomUUID();
    const res = await reserve(
      app.url,
      [
        { product_id: a.id, quantity: 3 },
        { product_id: b.id, quantity: 2 },
      ],
      orderId,
    );
    assert.equal(res.status, 201);
    assert.equal(res.body.order_id, orderId);
    assert.equal(res.body.status, 'held');
    assert.equal(res.body.total_cents, 3 * 250 + 2 * 1000);
    assert.equal(res.body.currency, 'USD');
    const ttl = Date.parse(res.body.expires_at) - Date.now();
    assert.ok(ttl > 50_000 && ttl <= 61_000, `expires in ${ttl} ms`);
    assert.deepEqual(
      res.body.items.map((i: { sku: string; quantity: number; price_cents: number }) => [i.sku, i.quantity, i.price_cents]),
      [
        [a.sku, 3, 250],
        [b.sku, 2, 1000],
      ].sort(),
    );
    assert.deepEqual([await stockOf(a.id), await stockOf(b.id)], [7, 3]);
    assert.deepEqual(await reservationsOf(orderId), [{ id: res.body.id, status: 'held' }]);
    const span = spans.find((s) => s.name === 'inventory.reserve_stock' && s.attributes[ATTR.ORDER_ID] === orderId);
    assert.equal(span?.attributes[ATTR.RESERVATION_ID], res.body.id);
    assert.equal(span?.attributes[ATTR.ORDER_ITEM_COUNT], 2);
  });

  it('when the same order reserves again, then the same reservation comes back and stock is taken once', async () => {
    const p = await createProduct(10);
    const orderId = randomUUID();
    const first = await reserve(app.url, [{ product_id: p.id, quantity: 4 }], orderId);
    const again = await reserve(app.url, [{ product_id: p.id, quantity: 4 }], orderId);
    assert.equal(first.status, 201);
    assert.equal(again.status, 200);
    assert.equal(again.body.id, first.body.id);
    assert.equal(await stockOf(p.id), 6);
  });

  it('when the same order is reserved five times at once, then one reservation and stock taken once', async () => {
    const p = await createProduct(10);
    const orderId = randomUUID();
    const all = await Promise.all(Array.from({ length: 5 }, () => reserve(app.url, [{ product_id: p.id, quantity: 2 }], orderId)));
    assert.deepEqual(all.map((r) => r.status).sort(), [200, 200, 200, 200, 201]);
    assert.equal(new Set(all.map((r) => r.body.id)).size, 1);
    assert.equal((await reservationsOf(orderId)).length, 1);
    assert.equal(await stockOf(p.id), 8);
  });

  it('when one item lacks stock, then 409 out_of_stock naming its sku, the span records it, and nothing changes', async () => {
    const [plenty, scarce] = [await createProduct(10), await createProduct(1)];
    const orderId = randomUUID();
    const res = await reserve(
      app.url,
      [
        { product_id: plenty.id, quantity: 2 },
        { product_id: scarce.id, quantity: 2 },
      ],
      orderId,
    );
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'out_of_stock'));
    assert.match(res.body.error.message, new RegExp(scarce.sku));
    assert.deepEqual([await stockOf(plenty.id), await stockOf(scarce.id)], [10, 1]);
    assert.deepEqual(await reservationsOf(orderId), []);
    const span = spans.find((s) => s.name === 'inventory.reserve_stock' && s.attributes[ATTR.ORDER_ID] === orderId);
    assert.equal(span?.attributes[ATTR.ERROR_TYPE], 'out_of_stock');
    assert.equal(span?.status?.code, 2);
  });

  it('when a product is unknown, then 404 product_not_found and nothing changes', async () => {
    const p = await createProduct(10);
    const orderId = randomUUID();
    const res = await reserve(
      app.url,
      [
        { product_id: p.id, quantity: 1 },
        { product_id: randomUUID(), quantity: 1 },
      ],
      orderId,
    );
    assert.equal(res.status, 404);
    assert.ok(isErrorBody(res.body, 'product_not_found'));
    assert.equal(await stockOf(p.id), 10);
    assert.deepEqual(await reservationsOf(orderId), []);
  });

  it('when 20 orders race for the last 3 items, then exactly 3 succeed and stock never goes negative', async () => {
    const p = await createProduct(3);
    const all = await Promise.all(Array.from({ length: 20 }, () => reserve(app.url, [{ product_id: p.id, quantity: 1 }])));
    assert.equal(all.filter((r) => r.status === 201).length, 3);
    assert.equal(all.filter((r) => r.status === 409 && isErrorBody(r.body, 'out_of_stock')).length, 17);
    assert.equal(await stockOf(p.id), 0);
    const { rows } = await pool.query('SELECT sum(quantity)::int AS held FROM reservation_items WHERE product_id = $1', [p.id]);
    assert.equal(rows[0].held, 3);
  });

  it('when orders list the same products in opposite orders at once, then none deadlocks', async () => {
    const [a, b] = [await createProduct(100), await createProduct(100)];
    const all = await Promise.all(
      Array.from({ length: 10 }, (_, n) =>
        reserve(
          app.url,
          n % 2
            ? [
                { product_id: a.id, quantity: 1 },
                { product_id: b.id, quantity: 1 },
              ]
            : [
                { product_id: b.id, quantity: 1 },
                { product_id: a.id, quantity: 1 },
              ],
        ),
      ),
    );
    assert.deepEqual(
      all.map((r) => r.status),
      Array(10).fill(201),
    );
    assert.deepEqual([await stockOf(a.id), await stockOf(b.id)], [90, 90]);
  });

  for (const [label, body] of [
    ['a wrong type', (id: string, orderId: string) => ({ order_id: orderId, items: [{ product_id: id, quantity: '1' }] })],
    ['an unknown field', (id: string, orderId: string) => ({ order_id: orderId, items: [{ product_id: id, quantity: 1 }], rush: true })],
    [
      'an unknown item field',
      (id: string, orderId: string) => ({ order_id: orderId, items: [{ product_id: id, quantity: 1, price_cents: 1 }] }),
    ],
    ['a bad product uuid', (_id: string, orderId: string) => ({ order_id: orderId, items: [{ product_id: 'abc', quantity: 1 }] })],
    ['a bad order uuid', (id: string) => ({ order_id: 'order-1', items: [{ product_id: id, quantity: 1 }] })],
    ['a zero quantity', (id: string, orderId: string) => ({ order_id: orderId, items: [{ product_id: id, quantity: 0 }] })],
    ['a quantity over 100', (id: string, orderId: string) => ({ order_id: orderId, items: [{ product_id: id, quantity: 101 }] })],
    ['a fractional quantity', (id: string, orderId: string) => ({ order_id: orderId, items: [{ product_id: id, quantity: 1.5 }] })],
    ['no items', (_id: string, orderId: string) => ({ order_id: orderId, items: [] })],
    [
      '51 items',
      (_id: string, orderId: string) => ({
        order_id: orderId,
        items: Array.from({ length: 51 }, () => ({ product_id: randomUUID(), quantity: 1 })),
      }),
    ],
    [
      'the same product twice',
      (id: string, orderId: string) => ({
        order_id: orderId,
        items: [
          { product_id: id, quantity: 1 },
          { product_id: id, quantity: 1 },
        ],
      }),
    ],
    ['an array body', (id: string) => [{ product_id: id, quantity: 1 }]],
  ] as const) {
    it(`when the body has ${label}, then 400 validation_failed and nothing is written`, async () => {
      const p = await createProduct(10);
      const orderId = randomUUID();
      const res = await call(app.url, 'POST', '/reservations', { body: body(p.id, orderId) });
      assert.equal(res.status, 400);
      assert.ok(isErrorBody(res.body, 'validation_failed'));
      assert.equal(await stockOf(p.id), 10);
      assert.deepEqual(await reservationsOf(orderId), []);
    });
  }

  it('when the body is malformed JSON, then 400 invalid_json', async () => {
    const res = await call(app.url, 'POST', '/reservations', { raw: '{"order_id": ' });
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_json'));
  });

  it('when the body is huge, then 413 payload_too_large and nothing is written', async () => {
    const p = await createProduct(10);
    const orderId = randomUUID();
    const items = Array.from({ length: 2000 }, () => ({ product_id: p.id, quantity: 1 }));
    const res = await call(app.url, 'POST', '/reservations', { body: { order_id: orderId, items } });
    assert.equal(res.status, 413);
    assert.ok(isErrorBody(res.body, 'payload_too_large'));
    assert.equal(await stockOf(p.id), 10);
    assert.deepEqual(await reservationsOf(orderId), []);
  });
});
