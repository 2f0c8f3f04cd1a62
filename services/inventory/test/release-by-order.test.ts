import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { releaseOrderResult } from '@tracequest/contracts';
import { isErrorBody, type Started } from '@tracequest/testkit';
import { call, createProduct, pool, reservationsOf, reserve, startInventory, stockOf, stopInventory } from './fixtures';

let app: Started;
before(async () => {
  app = await startInventory(60);
});
after(async () => {
  await pool.query('DELETE FROM reservations r WHERE NOT EXISTS (SELECT 1 FROM reservation_items i WHERE i.reservation_id = r.id)');
  await stopInventory();
});

const releaseOrder = (orderId: string) => call(app.url, 'POST', '/reservations/release', { body: { order_id: orderId } });

describe('POST /reservations/release (by order id)', () => {
  it('when the order holds a reservation, then 200 released and the stock comes back exactly once', async () => {
    const product = await createProduct(10);
    const orderId = randomUUID();
    assert.equal((await reserve(app.url, [{ product_id: product.id, quantity: 4 }], orderId)).status, 201);
    const all = await Promise.all(Array.from({ length: 3 }, () => releaseOrder(orderId)));
    for (const res of all) {
      assert.equal(res.status, 200);
      assert.ok(releaseOrderResult.safeParse(res.body).success);
      assert.equal(res.body.status, 'released');
    }
    assert.equal(await stockOf(product.id), 10);
  });

  it('when the reserve arrives after the release, then it takes no stock and is refused', async () => {
    const product = await createProduct(10);
    const orderId = randomUUID();
    assert.equal((await releaseOrder(orderId)).status, 200);
    const late = await reserve(app.url, [{ product_id: product.id, quantity: 4 }], orderId);
    assert.equal(late.status, 409);
    assert.ok(isErrorBody(late.body, 'reservation_released'));
    assert.equal(await stockOf(product.id), 10);
    assert.deepEqual(
      (await reservationsOf(orderId)).map((r) => r.status),
      ['released'],
    );
  });

  it('when the order committed its reservation, then 409 reservation_committed and the stock stays taken', async () => {
    const product = await createProduct(10);
    const orderId = randomUUID();
    const { body } = await reserve(app.url, [{ product_id: product.id, quantity: 4 }], orderId);
    await call(app.url, 'POST', `/reservations/${body.id}/commit`);
    const res = await releaseOrder(orderId);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'reservation_committed'));
    assert.equal(await stockOf(product.id), 6);
  });

  it('when the order id is not a uuid, then 400 validation_failed', async () => {
    const res = await releaseOrder('42');
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'validation_failed'));
  });
});
