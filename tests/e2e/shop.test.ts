import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { eventually, isErrorBody, request } from '@tracequest/testkit';
import { broker, useStack } from '../src/harness';
import { CARDS, CVC, Shop } from '../src/shop';

const h = useStack();
const testProducts: string[] = [];

// The test's own products leave the catalog with it (their reservations first: they reference them).
h.defer(async () => {
  await h.db.query(
    'DELETE FROM inventory.reservations WHERE id IN (SELECT reservation_id FROM inventory.reservation_items WHERE product_id = ANY($1::uuid[]))',
    [testProducts],
  );
  await h.db.query('DELETE FROM inventory.products WHERE id = ANY($1::uuid[])', [testProducts]);
});

async function stockOf(productId: string): Promise<number> {
  return (await h.db.query('SELECT stock FROM inventory.products WHERE id = $1', [productId])).rows[0].stock;
}

/** A product of the test's own, with the stock the test needs. */
async function productWithStock(stock: number): Promise<string> {
  const sku = `TEST-${randomUUID().slice(0, 8)}`;
  const { rows } = await h.db.query(
    `INSERT INTO inventory.products (sku, name, price_cents, currency, stock) VALUES ($1, 'Test lamp', 1999, 'USD', $2) RETURNING id`,
    [sku, stock],
  );
  testProducts.push(rows[0].id);
  return rows[0].id;
}

describe('a shopper through the gateway', () => {
  it('when they register, log in and check out, then the order is paid at once and fulfilled by the worker', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const products = await shop.products();
    assert.ok(products.length >= 20, 'the catalog has at least 20 products');
    assert.ok(products.filter((p) => p.available <= 5).length >= 1, 'some products have low stock');
    const product = await shop.plentiful();
    const res = await shop.checkout([{ product_id: product.id, quantity: 2 }]);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.status, 'paid');
    assert.equal(res.body.total_cents, product.price_cents * 2);
    assert.equal(res.body.currency, product.currency);
    const fulfilled = await eventually(async () => {
      const o = await shop.order(res.body.id);
      return o.body.status === 'fulfilled' && o.body;
    }, 15_000);
    assert.equal(fulfilled.id, res.body.id);
    const mine = await request(h.gateway, 'GET', '/api/orders', { token: shop.token });
    assert.deepEqual(
      mine.body.items.map((o: { id: string }) => o.id),
      [res.body.id],
    );
    const shipments = await h.db.query('SELECT count(*)::int AS n FROM fulfilment.shipments WHERE order_id = $1', [res.body.id]);
    assert.equal(shipments.rows[0].n, 1);
  });

  it('when another shopper asks for my order, then 404', async () => {
    const me = await new Shop(h.gateway).signUp();
    const other = await new Shop(h.gateway).signUp();
    const placed = await me.checkout([{ product_id: (await me.plentiful()).id, quantity: 1 }]);
    assert.equal((await other.order(placed.body.id)).status, 404);
  });

  it('when the card is declined, then 402 payment_declined, the order is failed and stock is as it was', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = await productWithStock(4);
    const res = await shop.checkout([{ product_id: product, quantity: 2 }], CARDS.declined);
    assert.equal(res.status, 402);
    assert.ok(isErrorBody(res.body, 'payment_declined'));
    assert.equal(await stockOf(product), 4);
    const { rows } = await h.db.query('SELECT status FROM orders.orders WHERE user_id = (SELECT id FROM auth.users WHERE email = $1)', [
      shop.email,
    ]);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['failed'],
    );
  });

  it('when 20 checkouts race for the last 3 items, then exactly 3 succeed and stock never goes below zero', async () => {
    const shoppers = await Promise.all(Array.from({ length: 4 }, () => new Shop(h.gateway).signUp()));
    const product = await productWithStock(3);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => shoppers[i % 4].checkout([{ product_id: product, quantity: 1 }])),
    );
    const codes = results.map((r) => r.status).sort();
    assert.equal(codes.filter((c) => c === 201).length, 3, `statuses: ${codes.join(',')}`);
    assert.equal(codes.filter((c) => c === 409).length, 17, `statuses: ${codes.join(',')}`);
    assert.ok(results.filter((r) => r.status === 409).every((r) => isErrorBody(r.body, 'out_of_stock')));
    assert.equal(await stockOf(product), 0);
  });

  it('when RabbitMQ is down at checkout time, then checkouts succeed and each order is fulfilled exactly once after it is back', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = await shop.plentiful();
    broker('stop_app');
    let ids: string[] = [];
    try {
      const results = [];
      for (let i = 0; i < 3; i++) results.push(await shop.checkout([{ product_id: product.id, quantity: 1 }]));
      assert.deepEqual(
        results.map((r) => r.status),
        [201, 201, 201],
      );
      ids = results.map((r) => r.body.id);
      const pending = await h.db.query(
        'SELECT count(*)::int AS n FROM orders.outbox WHERE aggregate_id = ANY($1) AND published_at IS NULL',
        [ids],
      );
      assert.equal(pending.rows[0].n, 3, 'the events wait in the outbox');
    } finally {
      broker('start_app');
    }
    await eventually(
      async () => {
        const { rows } = await h.db.query(`SELECT count(*)::int AS n FROM orders.orders WHERE id = ANY($1) AND status = 'fulfilled'`, [
          ids,
        ]);
        return rows[0].n === 3;
      },
      45_000,
      250,
    );
    const shipments = await h.db.query(
      'SELECT order_id, count(*)::int AS n FROM fulfilment.shipments WHERE order_id = ANY($1) GROUP BY order_id',
      [ids],
    );
    assert.equal(shipments.rows.length, 3);
    assert.ok(shipments.rows.every((r) => r.n === 1));
    const processed = await h.db.query('SELECT count(*)::int AS n FROM fulfilment.processed_messages WHERE order_id = ANY($1)', [ids]);
    assert.equal(processed.rows[0].n, 3, 'each order.paid event was processed exactly once');
  });
});

describe('an order process that dies in the middle of a checkout', () => {
  const ordersOf = async (shop: Shop) =>
    (
      await h.db.query(
        'SELECT id, status, failure_reason FROM orders.orders WHERE user_id = (SELECT id FROM auth.users WHERE email = $1)',
        [shop.email],
      )
    ).rows;
  const admin = (method: string, path: string, body?: unknown) =>
    request(h.admin, method, path, { body, headers: { 'x-admin-token': h.stack.env.ADMIN_TOKEN } });

  it('when order is killed while payment charges the card, then once it is back the order fails as abandoned, the charge is refunded and the stock returns', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = await productWithStock(5);
    // The card network answers slowly, so the charge is under way at payment when order dies.
    assert.equal((await admin('PUT', '/admin/faults/payment_provider', { latency_ms: 2500 })).status, 200);
    await h.faultsApplied();
    const chargeStatuses = async () =>
      (
        await h.db.query(
          'SELECT c.status FROM payment.charges c JOIN orders.orders o ON o.id = c.order_id JOIN auth.users u ON u.id = o.user_id WHERE u.email = $1',
          [shop.email],
        )
      ).rows.map((r) => r.status);
    try {
      const answer = shop.checkout([{ product_id: product, quantity: 2 }]);
      await eventually(async () => (await chargeStatuses()).includes('processing'), 5000, 20);
      assert.equal(await stockOf(product), 3);
      process.kill(h.stack.pids().order!, 'SIGKILL');
      const res = await answer;
      assert.ok(res.status >= 500, `the gateway answers ${res.status}`);
    } finally {
      await admin('DELETE', '/admin/faults/payment_provider');
    }
    const [order] = await ordersOf(shop);
    // The charge the dead process asked for still goes through: the money is taken, the order stuck.
    const charges = async () =>
      (await h.db.query('SELECT status FROM payment.charges WHERE order_id = $1', [order.id])).rows.map((r) => r.status);
    await eventually(async () => (await charges()).includes('succeeded'), 10_000, 100);
    assert.equal((await ordersOf(shop))[0].status, 'pending');

    await h.stack.stopService('order');
    await h.stack.startService('order', {
      UPSTREAM_TIMEOUT_MS: '500',
      ABANDONED_CHECKOUT_AFTER_MS: '5000',
      ABANDONED_SWEEP_INTERVAL_MS: '250',
    });
    try {
      await eventually(async () => (await ordersOf(shop))[0].status === 'failed', 20_000, 250);
      assert.deepEqual((await ordersOf(shop))[0], { id: order.id, status: 'failed', failure_reason: 'abandoned' });
      assert.deepEqual(await charges(), ['refunded']);
      assert.equal(await stockOf(product), 5);
    } finally {
      // The rest of the file runs against order as it normally starts.
      await h.stack.stopService('order');
      await h.stack.startService('order');
    }
  });
});

describe('bad input through the gateway', () => {
  const ordersBefore = async () => Number((await h.db.query('SELECT count(*) FROM orders.orders')).rows[0].count);

  it('when a checkout body is malformed, mistyped, oversized or has unknown fields, then 4xx JSON and no order is written', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = (await shop.plentiful()).id;
    const before = await ordersBefore();
    const payment = { card_number: CARDS.ok, exp_month: 12, exp_year: 2030, cvc: CVC };
    const cases: { raw?: string; body?: unknown }[] = [
      { raw: '{"items": [' },
      { body: { items: 'lots', payment } },
      { body: { items: [{ product_id: product, quantity: 'two' }], payment } },
      { body: { items: [{ product_id: product, quantity: -1 }], payment } },
      { body: { items: [], payment } },
      { body: { items: [{ product_id: product, quantity: 1 }], payment, coupon: 'FREE' } },
      { body: { items: [{ product_id: product, quantity: 1 }], payment: { ...payment, card_number: '4242' } } },
      { body: { items: Array.from({ length: 5000 }, () => ({ product_id: product, quantity: 1 })), payment } },
      { body: { items: [{ product_id: 'not-a-uuid', quantity: 1 }], payment } },
    ];
    for (const c of cases) {
      const res = await request(h.gateway, 'POST', '/api/orders', { ...c, token: shop.token });
      assert.ok(res.status >= 400 && res.status < 500, `${JSON.stringify(c).slice(0, 80)} → ${res.status}`);
      assert.ok(isErrorBody(res.body), JSON.stringify(res.body));
    }
    assert.equal(await ordersBefore(), before);
  });

  it('when tokens are missing, expired-looking, forged or garbage on every private route, then 401 and nothing is written', async () => {
    const before = await ordersBefore();
    const forged = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';
    for (const [method, path] of [
      ['POST', '/api/orders'],
      ['GET', '/api/orders'],
      ['GET', `/api/orders/${randomUUID()}`],
    ]) {
      for (const headers of [
        {},
        { authorization: `Bearer ${forged}` },
        { authorization: 'Bearer x' },
        { authorization: 'Basic Zm9vOmJhcg==' },
      ] as Record<string, string>[]) {
        const res = await request(h.gateway, method, path, { headers, body: method === 'POST' ? { items: [] } : undefined });
        assert.equal(res.status, 401, `${method} ${path} ${JSON.stringify(headers)}`);
        assert.ok(isErrorBody(res.body));
      }
    }
    assert.equal(await ordersBefore(), before);
  });

  it('when an unknown product is ordered, then 404 and no order row stays', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const before = await ordersBefore();
    const res = await shop.checkout([{ product_id: randomUUID(), quantity: 1 }]);
    assert.equal(res.status, 404);
    assert.ok(isErrorBody(res.body, 'product_not_found'));
    assert.equal(await ordersBefore(), before);
  });
});
