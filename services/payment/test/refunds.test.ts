import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isErrorBody } from '@tracequest/testkit';
import { readConfig } from '../src/config';
import { body, CARD, call, charge, env, rowsFor, startPayment, stopPayment } from './fixtures';

before(async () => {
  await startPayment();
});
after(stopPayment);

describe('POST /charges/:id/refund and GET /charges/:id', () => {
  it('when the charge succeeded, then 200 refunded, a retry is 200, and GET shows it refunded', async () => {
    const { body: created } = await charge(body());
    for (let i = 0; i < 2; i++) {
      const res = await call('POST', `/charges/${created.id}/refund`);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { id: created.id, status: 'refunded' });
    }
    const got = await call('GET', `/charges/${created.id}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, { ...created, status: 'refunded' });
    assert.equal((await rowsFor(created.order_id))[0].status, 'refunded');
  });

  it('when the charge was declined or failed, then 409 not_refundable and its status stays', async () => {
    for (const [number, status] of [
      [CARD.DECLINED, 'declined'],
      [CARD.FAILS, 'failed'],
    ]) {
      const b = body({}, { card_number: number });
      await charge(b);
      const [row] = await rowsFor(b.order_id);
      const res = await call('POST', `/charges/${row.id}/refund`);
      assert.equal(res.status, 409);
      assert.ok(isErrorBody(res.body, 'not_refundable'));
      assert.equal((await rowsFor(b.order_id))[0].status, status);
    }
  });

  it('when the id is unknown or not a uuid, then 404 not_found', async () => {
    for (const id of [randomUUID(), 'ch_123']) {
      for (const [method, path] of [
        ['POST', `/charges/${id}/refund`],
        ['GET', `/charges/${id}`],
      ]) {
        const res = await call(method, path);
        assert.equal(res.status, 404);
        assert.ok(isErrorBody(res.body, 'not_found'));
      }
    }
  });
});

describe('health and config', () => {
  it('when Postgres answers, then /readyz is 200', async () => {
    const ready = await call('GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.checks.postgres, 'ok');
  });

  it('when the provider latency is out of range, then config names it; defaults apply otherwise', () => {
    assert.throws(() => readConfig({ ...env, PROVIDER_LATENCY_MS: '10001' }), /PROVIDER_LATENCY_MS/);
    assert.throws(() => readConfig({ ...env, PAYMENT_PORT: 'eighty' }), /PAYMENT_PORT/);
    const config = readConfig({ DATABASE_URL: env.DATABASE_URL, AUTH_URL: env.AUTH_URL });
    assert.deepEqual([config.PAYMENT_PORT, config.PROVIDER_LATENCY_MS], [8084, 20]);
  });
});
