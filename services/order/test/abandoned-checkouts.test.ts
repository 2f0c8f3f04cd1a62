import './preload';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { type RecoveryDeps, recoverAbandonedCheckouts } from '../src/abandoned-checkouts';
import { OrderRepository } from '../src/order-repository';
import { logger, startOrderService } from './harness';

let svc: Awaited<ReturnType<typeof startOrderService>>;
let deps: RecoveryDeps;
const AFTER_MS = 60_000;

before(async () => {
  svc = await startOrderService({ relay: false });
  deps = { pool: svc.pool, orders: new OrderRepository(svc.pool), logger, ...svc.clients };
});
after(() => svc.close());

/** An order as a checkout leaves it when its process dies: pending, last touched ageMs ago. */
async function orderLeft(status: string, ageMs: number, reservationId: string | null = randomUUID()) {
  const id = randomUUID();
  await svc.pool.query(
    `INSERT INTO orders (id, user_id, status, reservation_id, updated_at) VALUES ($1, $2, $3, $4, now() - make_interval(secs => $5 / 1000.0))`,
    [id, randomUUID(), status, reservationId, ageMs],
  );
  return { id, reservationId };
}
const stateOf = async (id: string) => (await svc.pool.query('SELECT status, failure_reason FROM orders WHERE id = $1', [id])).rows[0];

describe('recovering abandoned checkouts', () => {
  it('when a checkout has been pending too long, then its payment is voided, its stock released and it fails as abandoned', async () => {
    const stale = await orderLeft('pending', AFTER_MS + 5000);
    const fresh = await orderLeft('pending', 1000);
    const paid = await orderLeft('paid', AFTER_MS + 5000);
    assert.ok((await recoverAbandonedCheckouts(deps, AFTER_MS)) >= 1);
    assert.deepEqual(await stateOf(stale.id), { status: 'failed', failure_reason: 'abandoned' });
    assert.ok(svc.payment.calls.void.includes(stale.id));
    assert.ok(svc.inventory.calls.release.includes(stale.reservationId!));
    for (const o of [fresh, paid]) {
      assert.ok(!svc.payment.calls.void.includes(o.id) && !svc.inventory.calls.release.includes(o.reservationId!));
    }
    assert.equal((await stateOf(fresh.id)).status, 'pending');
    assert.equal((await stateOf(paid.id)).status, 'paid');
  });

  it('when the checkout died before reserving, then only the payment is voided', async () => {
    const stale = await orderLeft('pending', AFTER_MS + 5000, null);
    const releases = svc.inventory.calls.release.length;
    await recoverAbandonedCheckouts(deps, AFTER_MS);
    assert.equal((await stateOf(stale.id)).status, 'failed');
    assert.ok(svc.payment.calls.void.includes(stale.id));
    assert.equal(svc.inventory.calls.release.length, releases);
  });

  it('when payment cannot void, then the order stays pending and a later sweep finishes it', async () => {
    const stale = await orderLeft('pending', AFTER_MS + 5000);
    svc.payment.voidFailing.add(stale.id);
    await recoverAbandonedCheckouts(deps, AFTER_MS);
    assert.equal((await stateOf(stale.id)).status, 'pending', 'not failed while the money may still be taken');
    assert.ok(!svc.inventory.calls.release.includes(stale.reservationId!));
    svc.payment.voidFailing.delete(stale.id);
    await recoverAbandonedCheckouts(deps, AFTER_MS);
    assert.deepEqual(await stateOf(stale.id), { status: 'failed', failure_reason: 'abandoned' });
  });

  it('when its stock was already committed, then the payment is voided, the order failed and the stock returned', async () => {
    const stale = await orderLeft('pending', AFTER_MS + 5000);
    svc.inventory.committed.add(stale.reservationId!);
    await recoverAbandonedCheckouts(deps, AFTER_MS);
    assert.ok(svc.payment.calls.void.includes(stale.id));
    assert.equal((await stateOf(stale.id)).status, 'failed');
    assert.deepEqual(svc.inventory.calls.restock, [stale.reservationId]);
  });

  it('when inventory has no record of its reservation, then the order still fails as abandoned, and is not retried forever', async () => {
    const stale = await orderLeft('pending', AFTER_MS + 5000);
    svc.inventory.unknown.add(stale.reservationId!);
    await recoverAbandonedCheckouts(deps, AFTER_MS);
    assert.ok(svc.payment.calls.void.includes(stale.id));
    assert.deepEqual(await stateOf(stale.id), { status: 'failed', failure_reason: 'abandoned' });
    const releases = svc.inventory.calls.release.length;
    await recoverAbandonedCheckouts(deps, AFTER_MS);
    assert.equal(svc.inventory.calls.release.length, releases, 'the next sweep leaves it alone');
  });

  it('when two sweeps run at once, then each abandoned order is recovered once', async () => {
    const stale = await Promise.all(Array.from({ length: 6 }, () => orderLeft('pending', AFTER_MS + 5000)));
    await Promise.all([recoverAbandonedCheckouts(deps, AFTER_MS), recoverAbandonedCheckouts(deps, AFTER_MS)]);
    for (const o of stale) {
      assert.equal((await stateOf(o.id)).status, 'failed');
      assert.equal(svc.payment.calls.void.filter((id) => id === o.id).length, 1, 'voided once');
    }
  });
});
