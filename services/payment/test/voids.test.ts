import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { HEADER } from '@tracequest/contracts';
import { eventually, isErrorBody, request, type Started, testSigningKey } from '@tracequest/testkit';
import { ChargeRepository } from '../src/charge-repository';
import {
  auth,
  body,
  call,
  charge,
  holdProvider,
  pool,
  providerCalls,
  rowsFor,
  STALE_AFTER_MS,
  startPayment,
  stopPayment,
} from './fixtures';

let app: Started;
before(async () => {
  app = await startPayment();
});
after(stopPayment);

const voidOrder = (b: unknown) => call('POST', '/voids', { body: b });
const voided = async (orderId: string) =>
  (await pool.query('SELECT count(*)::int AS n FROM voided_orders WHERE order_id = $1', [orderId])).rows[0].n;

describe('POST /voids', () => {
  it('when the order was charged, then its charge is refunded, voiding again changes nothing, and no new charge is taken', async () => {
    const b = body();
    const { body: created } = await charge(b);
    const res = await voidOrder({ order_id: b.order_id });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { order_id: b.order_id, status: 'voided', refunded_charge_ids: [created.id] });
    assert.deepEqual((await voidOrder({ order_id: b.order_id })).body.refunded_charge_ids, []);
    const calls = providerCalls.length;
    const again = await charge(b);
    assert.equal(again.status, 409);
    assert.ok(isErrorBody(again.body, 'order_voided'));
    assert.equal(providerCalls.length, calls, 'the card is not charged');
    assert.deepEqual(
      (await rowsFor(b.order_id)).map((r) => r.status),
      ['refunded'],
    );
  });

  it('when the void arrives while the charge is at the provider, then the charge is refunded as it returns', async () => {
    const b = body();
    const open = holdProvider();
    const pending = charge(b);
    try {
      await eventually(async () => (await rowsFor(b.order_id)).length === 1, 5000, 20);
      const res = await voidOrder({ order_id: b.order_id });
      assert.deepEqual(res.body.refunded_charge_ids, [], 'nothing had succeeded yet');
    } finally {
      open();
    }
    const late = await pending;
    assert.equal(late.status, 409);
    assert.ok(isErrorBody(late.body, 'order_voided'));
    assert.deepEqual(
      (await rowsFor(b.order_id)).map((r) => r.status),
      ['refunded'],
    );
  });

  it('when the order was never charged, then later charges for it are refused', async () => {
    const b = body();
    assert.equal((await voidOrder({ order_id: b.order_id })).status, 200);
    const res = await charge(b);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'order_voided'));
    assert.equal((await rowsFor(b.order_id)).length, 0);
  });

  it('when a declined charge is voided, then it stays declined', async () => {
    const b = body({}, { card_number: '4000000000000002' });
    await charge(b);
    assert.deepEqual((await voidOrder({ order_id: b.order_id })).body.refunded_charge_ids, []);
    assert.deepEqual(
      (await rowsFor(b.order_id)).map((r) => r.status),
      ['declined'],
    );
  });

  it('when the body is missing, malformed or has unknown fields, then 400 and nothing is voided', async () => {
    const id = randomUUID();
    for (const bad of [undefined, {}, { order_id: 'ord_1' }, { order_id: id, extra: true }]) {
      const res = await voidOrder(bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
      assert.ok(isErrorBody(res.body, 'validation_failed'), JSON.stringify(res.body));
    }
    assert.equal(await voided(id), 0);
  });
});

describe('who may move money', () => {
  it("when a void or a refund comes with no token, a shopper's, the worker's or a forged one, then 401/403 and the charge stays", async () => {
    const b = body();
    const { body: created } = await charge(b);
    const forged = await (await testSigningKey()).signService('order');
    for (const [token, status] of [
      [undefined, 401],
      [await auth.sign(randomUUID()), 403],
      [await auth.signService('worker'), 403],
      [forged, 401],
    ] as const) {
      const voiding = await request(app.url, 'POST', '/voids', { body: { order_id: b.order_id }, ...(token ? { token } : {}) });
      const refunding = await request(app.url, 'POST', `/charges/${created.id}/refund`, token ? { token } : {});
      assert.deepEqual([voiding.status, refunding.status], [status, status]);
      assert.ok(isErrorBody(voiding.body) && isErrorBody(refunding.body));
    }
    assert.deepEqual(
      (await rowsFor(b.order_id)).map((r) => r.status),
      ['succeeded'],
    );
    assert.equal(await voided(b.order_id), 0);
  });

  it("when a shopper's token comes with a charge relayed by order (order's token beside it), then the charge is taken; from the shopper alone, it is not", async () => {
    const shopper = await auth.sign(randomUUID());
    const relayed = (headers: Record<string, string>) =>
      call('POST', '/charges', { body: body(), headers: { 'idempotency-key': randomUUID(), ...headers }, token: shopper });
    const direct = await relayed({});
    assert.equal(direct.status, 403);
    assert.ok(isErrorBody(direct.body, 'forbidden'));
    assert.equal((await relayed({ [HEADER.SERVICE_TOKEN]: await auth.signService('worker') })).status, 403);
    assert.equal((await relayed({ [HEADER.SERVICE_TOKEN]: await auth.signService('order') })).status, 201);
  });
});

describe('a void and a finishing charge at the same moment', () => {
  const charges = new ChargeRepository(pool);
  const claim = async () => {
    const b = body();
    const row = await charges.insertProcessing(
      { idempotencyKey: randomUUID(), requestHash: 'h', orderId: b.order_id, amountCents: 2599, currency: 'USD', cardLast4: '4242' },
      STALE_AFTER_MS,
    );
    assert.ok(row);
    return row;
  };
  /** Waits until a statement starting with `start` waits for a row lock. */
  const blocked = (start: string) =>
    eventually(
      async () =>
        (
          await pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`, [
            `${start}%`,
          ])
        ).rows[0].n === 1,
      5000,
      10,
    );

  it('when the whole void commits while the charge writes its success, then the success is written as refunded', async () => {
    const c = await claim();
    const other = await pool.connect();
    try {
      // Another transaction holds the charge's row, so finish begins (and takes its snapshot),
      // then waits; the void commits in that transaction before finish can write.
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM charges WHERE id = $1 FOR UPDATE', [c.id]);
      const finishing = charges.finish(c.id, 'succeeded', null);
      await blocked('UPDATE charges SET failure_code');
      assert.deepEqual(await charges.voidOrder(c.orderId, other), [], 'nothing had succeeded yet');
      await other.query('COMMIT');
      assert.equal((await finishing).status, 'refunded');
    } finally {
      other.release();
    }
    assert.deepEqual(
      (await rowsFor(c.orderId)).map((r) => r.status),
      ['refunded'],
    );
  });

  it('when the charge wrote its success but has not committed as the void runs, then the void refunds it', async () => {
    const c = await claim();
    const other = await pool.connect();
    let voiding: Promise<string[]>;
    try {
      await other.query('BEGIN');
      assert.equal((await charges.finish(c.id, 'succeeded', null, other)).status, 'succeeded');
      voiding = charges.voidOrder(c.orderId);
      await blocked('UPDATE charges SET voided');
      await other.query('COMMIT');
    } finally {
      other.release();
    }
    assert.deepEqual(await voiding, [c.id]);
    assert.deepEqual(
      (await rowsFor(c.orderId)).map((r) => r.status),
      ['refunded'],
    );
  });
});
