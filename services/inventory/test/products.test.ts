import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isErrorBody, request, type Started } from '@tracequest/testkit';
import { readConfig } from '../src/config';
import { createProduct, env, startInventory, stopInventory } from './fixtures';

let app: Started;
before(async () => {
  app = await startInventory();
});
after(stopInventory);

describe('GET /products', () => {
  it('when the catalog is seeded, then it lists at least 20 USD products by sku, some nearly sold out', async () => {
    const res = await request(app.url, 'GET', '/products');
    assert.equal(res.status, 200);
    const seeded = res.body.items.filter((p: { sku: string }) => /^TQ-\d{3}$/.test(p.sku));
    assert.ok(seeded.length >= 20);
    assert.deepEqual(Object.keys(seeded[0]).sort(), ['available', 'currency', 'id', 'name', 'price_cents', 'sku']);
    const skus = res.body.items.map((p: { sku: string }) => p.sku);
    assert.deepEqual(skus, [...skus].sort());
    assert.ok(seeded.every((p: { currency: string; price_cents: number }) => p.currency === 'USD' && p.price_cents > 0));
    // Stock only returns to where it was, so the nearly sold-out items stay at 5 or fewer.
    assert.ok(seeded.filter((p: { available: number }) => p.available <= 5).length >= 3);
  });

  it('when a product is created, then it appears with its stock as available', async () => {
    const p = await createProduct(42, 1250);
    const res = await request(app.url, 'GET', '/products');
    const found = res.body.items.find((i: { id: string }) => i.id === p.id);
    assert.deepEqual(found, { id: p.id, sku: p.sku, name: p.name, price_cents: 1250, currency: 'USD', available: 42 });
  });
});

describe('GET /products/:id', () => {
  it('when the product exists, then 200 with its fields', async () => {
    const p = await createProduct(7, 999);
    const res = await request(app.url, 'GET', `/products/${p.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id: p.id, sku: p.sku, name: p.name, price_cents: 999, currency: 'USD', available: 7 });
  });

  for (const id of [randomUUID(), 'not-a-uuid', '1', "1' OR '1'='1"]) {
    it(`when the id is ${JSON.stringify(id)}, then 404 not_found`, async () => {
      const res = await request(app.url, 'GET', `/products/${encodeURIComponent(id)}`);
      assert.equal(res.status, 404);
      assert.ok(isErrorBody(res.body, 'not_found'));
    });
  }
});

describe('health and config', () => {
  it('when Postgres answers, then /healthz and /readyz are 200', async () => {
    assert.equal((await request(app.url, 'GET', '/healthz')).status, 200);
    const ready = await request(app.url, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.checks.postgres, 'ok');
  });

  it('when a value is out of range, then config names the variable; defaults apply otherwise', () => {
    assert.throws(() => readConfig({ ...env, RESERVATION_TTL_SECONDS: '0' }), /RESERVATION_TTL_SECONDS/);
    assert.throws(() => readConfig({ ...env, RESERVATION_SWEEP_INTERVAL_MS: '50' }), /RESERVATION_SWEEP_INTERVAL_MS/);
    assert.throws(() => readConfig({ ...env, INVENTORY_PORT: 'eighty' }), /INVENTORY_PORT/);
    const config = readConfig({ DATABASE_URL: env.DATABASE_URL, AUTH_URL: env.AUTH_URL });
    assert.equal(config.INVENTORY_PORT, 8082);
    assert.equal(config.RESERVATION_TTL_SECONDS, 900);
    assert.equal(config.RESERVATION_SWEEP_INTERVAL_MS, 5000);
  });
});
