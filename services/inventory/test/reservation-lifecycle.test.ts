import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ATTR, EVENT } from '@tracequest/telemetry';
import { eventually, isErrorBody, recordSpans, type Started } from '@tracequest/testkit';
import { expireReservations, startSweeper } from '../src/expire-reservations';
import { auth, call, createProduct, expiry, logger, pool, reserve, startInventory, statusOf, stockOf, stopInventory } from './fixtures';

const spans = recordSpans();
let app: Started;
let shortLived: Started;
before(async () => {
  app = await startInventory(60);
  shortLived = await startInventory(1);
});
after(stopInventory);

async function heldReservation(stock = 10, quantity = 4, base = app.url) {
  const product = await createProduct(stock);
  const res = await reserve(base, [{ product_id: product.id, quantity }]);
  assert.equal(res.status, 201);
  return { product, id: res.body.id as string };
}
const post = (path: string) => call(app.url, 'POST', path);

describe('POST /reservations/:id/commit', () => {
  it('when the reservation is held, then 200 committed, the stock stays taken, and a retry is 200', async () => {
    const { product, id } = await heldReservation();
    const res = await post(`/reservations/${id}/commit`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { id, status: 'committed' });
    assert.equal(await statusOf(id), 'committed');
    assert.deepEqual((await post(`/reservations/${id}/commit`)).body, { id, status: 'committed' });
    assert.equal(await stockOf(product.id), 6);
  });

  it('when the reservation was released or is past its expiry, then 409 reservation_not_held', async () => {
    const released = await heldReservation();
    await post(`/reservations/${released.id}/release`);
    const late = await heldReservation();
    await pool.query("UPDATE reservations SET expires_at = now() - interval '1 second' WHERE id = $1", [late.id]);
    for (const { id } of [released, late]) {
      const res = await post(`/reservations/${id}/commit`);
      assert.equal(res.status, 409);
      assert.ok(isErrorBody(res.body, 'reservation_not_held'));
    }
    assert.equal(await statusOf(late.id), 'held');
  });

  it('when the id is unknown or not a uuid, then 404 not_found', async () => {
    for (const id of [randomUUID(), 'nope']) {
      const res = await post(`/reservations/${id}/commit`);
      assert.equal(res.status, 404);
      assert.ok(isErrorBody(res.body, 'not_found'));
    }
  });
});

describe('POST /reservations/:id/release', () => {
  it('when the reservation is held, then 200 released and the stock comes back exactly once', async () => {
    const { product, id } = await heldReservation();
    const all = await Promise.all(Array.from({ length: 5 }, () => post(`/reservations/${id}/release`)));
    assert.deepEqual(
      all.map((r) => [r.status, r.body.status]),
      Array(5).fill([200, 'released']),
    );
    assert.equal(await statusOf(id), 'released');
    assert.equal(await stockOf(product.id), 10);
  });

  it('when order returns the stock of a committed reservation (an order failed unpaid), then it is back once; nobody else may', async () => {
    const { product, id } = await heldReservation();
    await post(`/reservations/${id}/commit`);
    const shopper = await call(app.url, 'POST', `/reservations/${id}/restock`, { token: await auth!.sign(randomUUID()) });
    assert.equal(shopper.status, 403);
    assert.equal(await stockOf(product.id), 6);
    for (let i = 0; i < 2; i++) {
      const res = await post(`/reservations/${id}/restock`);
      assert.deepEqual([res.status, res.body.status], [200, 'released']);
    }
    assert.equal(await statusOf(id), 'released');
    assert.equal(await stockOf(product.id), 10);
  });

  it('when the reservation is committed, then 409 reservation_committed and the stock stays taken', async () => {
    const { product, id } = await heldReservation();
    await post(`/reservations/${id}/commit`);
    const res = await post(`/reservations/${id}/release`);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'reservation_committed'));
    assert.equal(await statusOf(id), 'committed');
    assert.equal(await stockOf(product.id), 6);
  });

  it('when the id is unknown or not a uuid, then 404 not_found', async () => {
    for (const id of [randomUUID(), '42']) {
      const res = await post(`/reservations/${id}/release`);
      assert.equal(res.status, 404);
      assert.ok(isErrorBody(res.body, 'not_found'));
    }
  });
});

describe('reservation expiry', () => {
  it('when a held reservation outlives its TTL, then the sweep expires it and returns its stock once', async () => {
    const { product, id } = await heldReservation(10, 4, shortLived.url);
    assert.equal(await stockOf(product.id), 6);
    await sleep(1100);
    assert.ok((await expireReservations(expiry)) >= 1);
    assert.equal(await statusOf(id), 'expired');
    assert.equal(await stockOf(product.id), 10);
    const span = spans.find(
      (s) =>
        s.name === 'inventory.expire_reservations' &&
        s.events.some((e) => e.name === EVENT.RESERVATION_EXPIRED && e.attributes?.[ATTR.RESERVATION_ID] === id),
    );
    assert.ok(span, 'an expire span with an event for the reservation');
    await expireReservations(expiry);
    assert.equal(await stockOf(product.id), 10);
    const released = await post(`/reservations/${id}/release`);
    assert.deepEqual([released.status, released.body.status], [200, 'expired']);
    assert.equal(await stockOf(product.id), 10);
  });

  it('when nothing is due, then the sweep returns 0 and starts no span', async () => {
    await expireReservations(expiry);
    const before = spans.length;
    assert.equal(await expireReservations(expiry), 0);
    assert.equal(spans.length, before);
  });

  it('when the sweeper runs on its interval, then it expires due reservations until stopped', async () => {
    const { product, id } = await heldReservation(10, 3, shortLived.url);
    const sweeper = startSweeper(expiry, 100, logger);
    try {
      await eventually(async () => (await statusOf(id)) === 'expired', 5000);
    } finally {
      await sweeper.stop();
    }
    assert.equal(await stockOf(product.id), 10);
  });
});
