import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ATTR, METRIC } from '@tracequest/telemetry';
import { isErrorBody, recordCounters, recordSpans } from '@tracequest/testkit';
import { body, CARD, charge, pool, providerCalls, rowsFor, STALE_AFTER_MS, startPayment, stopPayment } from './fixtures';

const spans = recordSpans();
const counters = recordCounters();
before(startPayment);
after(stopPayment);

describe('POST /charges', () => {
  it('when the card is good, then 201 succeeded, one row with only the last 4 digits, and both spans', async () => {
    const b = body({ amount_cents: 10_000 });
    const res = await charge(b);
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, {
      id: res.body.id,
      order_id: b.order_id,
      status: 'succeeded',
      amount_cents: 10_000,
      currency: 'USD',
      card_last4: '4242',
    });
    const rows = await rowsFor(b.order_id);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'succeeded');
    assert.equal(rows[0].card_last4, '4242');
    const fraud = spans.filter((s) => s.name === 'payment.fraud_check').at(-1);
    assert.equal(fraud?.attributes[ATTR.FRAUD_SCORE], 48);
    const call = spans.filter((s) => s.name === 'payment.provider.charge').at(-1);
    assert.equal(call?.attributes[ATTR.PAYMENT_OUTCOME], 'succeeded');
    assert.equal(call?.attributes[ATTR.PAYMENT_CARD_LAST4], '4242');
  });

  it('when any other Luhn-valid number is used, then the charge succeeds', async () => {
    const res = await charge(body({}, { card_number: '5555555555554444' }));
    assert.equal(res.status, 201);
    assert.equal(res.body.card_last4, '4444');
  });

  it('when the card is declined, then 402 card_declined, a declined row, an error span and a counted decline', async () => {
    const before = counters.get(METRIC.PAYMENTS_DECLINED)?.length ?? 0;
    const b = body({}, { card_number: CARD.DECLINED });
    const res = await charge(b);
    assert.equal(res.status, 402);
    assert.ok(isErrorBody(res.body, 'card_declined'));
    const rows = await rowsFor(b.order_id);
    assert.deepEqual([rows.length, rows[0].status, rows[0].failure_code], [1, 'declined', 'card_declined']);
    const call = spans.filter((s) => s.name === 'payment.provider.charge').at(-1);
    assert.deepEqual(
      [call?.attributes[ATTR.PAYMENT_OUTCOME], call?.attributes[ATTR.ERROR_TYPE], call?.status?.code],
      ['declined', 'card_declined', 2],
    );
    assert.equal(counters.get(METRIC.PAYMENTS_DECLINED)?.length, before + 1);
  });

  it('when the card has expired, then 402 expired_card and the row is stored as declined', async () => {
    const b = body({}, { exp_month: 1, exp_year: 2020 });
    const res = await charge(b);
    assert.equal(res.status, 402);
    assert.ok(isErrorBody(res.body, 'expired_card'));
    const rows = await rowsFor(b.order_id);
    assert.deepEqual([rows[0].status, rows[0].failure_code], ['declined', 'expired_card']);
  });

  it('when the provider fails, then 502 provider_error with its message, and a failed row', async () => {
    const b = body({}, { card_number: CARD.FAILS });
    const res = await charge(b);
    assert.equal(res.status, 502);
    assert.ok(isErrorBody(res.body, 'provider_error'));
    assert.match(res.body.error.message, /provider/);
    const rows = await rowsFor(b.order_id);
    assert.deepEqual([rows.length, rows[0].status], [1, 'failed']);
    const call = spans.filter((s) => s.name === 'payment.provider.charge').at(-1);
    assert.deepEqual([call?.attributes[ATTR.PAYMENT_OUTCOME], call?.attributes[ATTR.ERROR_TYPE]], ['failed', 'provider_error']);
  });

  it('when the number fails the Luhn check, then 400 invalid_card_number, nothing stored, no provider call', async () => {
    const calls = providerCalls.length;
    const b = body({}, { card_number: '4242424242424241' });
    const res = await charge(b);
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_card_number'));
    assert.deepEqual(await rowsFor(b.order_id), []);
    assert.equal(providerCalls.length, calls);
  });

  it('when the full number is sent, then no column, row or span holds it, only the last 4 digits', async () => {
    const number = '4000056655665556';
    const b = body({}, { card_number: number, cvc: '9731' });
    assert.equal((await charge(b)).status, 201);
    const { rows } = await pool.query(
      "SELECT column_name FROM information_schema.columns WHERE table_schema = 'payment' AND table_name = 'charges'",
    );
    assert.deepEqual(rows.map((r) => r.column_name).sort(), [
      'amount_cents',
      'card_last4',
      'created_at',
      'currency',
      'failure_code',
      'id',
      'idempotency_key',
      'order_id',
      'request_hash',
      'status',
      'updated_at',
      'voided',
    ]);
    const stored = (await pool.query('SELECT row_to_json(c)::text AS j FROM charges c WHERE order_id = $1', [b.order_id])).rows[0].j;
    assert.ok(!stored.includes(number) && stored.includes('"card_last4":"5556"'));
    assert.ok(!JSON.stringify(spans).includes(number));
  });
});

describe('POST /charges idempotency', () => {
  it('when the same request is retried with the same key, then the stored outcome replays and the card is charged once', async () => {
    const key = randomUUID();
    const b = body({ amount_cents: 4321 });
    const calls = providerCalls.length;
    const first = await charge(b, key);
    const again = await charge(b, key);
    assert.deepEqual([first.status, again.status], [201, 201]);
    assert.deepEqual(again.body, first.body);
    assert.equal((await rowsFor(b.order_id)).length, 1);
    assert.equal(providerCalls.length, calls + 1);
  });

  it('when a declined request is retried with the same key, then 402 again without a second provider call', async () => {
    const key = randomUUID();
    const b = body({}, { card_number: CARD.DECLINED });
    await charge(b, key);
    const calls = providerCalls.length;
    const again = await charge(b, key);
    assert.equal(again.status, 402);
    assert.ok(isErrorBody(again.body, 'card_declined'));
    assert.equal(providerCalls.length, calls);
  });

  it('when 10 requests with the same key arrive at once, then one row, one provider call, one charge id', async () => {
    const key = randomUUID();
    const b = body();
    const calls = providerCalls.length;
    const all = await Promise.all(Array.from({ length: 10 }, () => charge(b, key)));
    const ok = all.filter((r) => r.status === 201);
    assert.ok(ok.length >= 1);
    assert.ok(all.every((r) => r.status === 201 || (r.status === 409 && isErrorBody(r.body, 'charge_in_progress'))));
    assert.equal(new Set(ok.map((r) => r.body.id)).size, 1);
    assert.equal((await rowsFor(b.order_id)).length, 1);
    assert.equal(providerCalls.length, calls + 1);
    assert.equal((await charge(b, key)).body.id, ok[0].body.id);
  });

  it('when the same key comes with a different amount, then 409 idempotency_key_reused and the charge is untouched', async () => {
    const key = randomUUID();
    const b = body();
    const first = await charge(b, key);
    const res = await charge({ ...b, amount_cents: b.amount_cents + 1 }, key);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'idempotency_key_reused'));
    const rows = await rowsFor(b.order_id);
    assert.deepEqual([rows.length, rows[0].id, rows[0].amount_cents], [1, first.body.id, 2599]);
  });
});

describe('POST /charges after its process died at the provider', () => {
  // What a crash leaves behind: the claim is written, the answer never was.
  const orphan = (orderId: string, ageMs: number) =>
    pool.query(`UPDATE charges SET status = 'processing', updated_at = now() - make_interval(secs => $2 / 1000.0) WHERE order_id = $1`, [
      orderId,
      ageMs,
    ]);

  it('when the claim is fresh, then a retry gets 409 charge_in_progress and the provider is not called', async () => {
    const key = randomUUID();
    const b = body();
    await charge(b, key);
    await orphan(b.order_id, 0);
    const calls = providerCalls.length;
    const res = await charge(b, key);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'charge_in_progress'));
    assert.equal(providerCalls.length, calls);
  });

  it('when the claim is older than CHARGE_STALE_AFTER_MS, then the same request takes it over and the charge completes once', async () => {
    const key = randomUUID();
    const b = body();
    const first = await charge(b, key);
    await orphan(b.order_id, STALE_AFTER_MS + 500);
    const calls = providerCalls.length;
    const res = await charge(b, key);
    assert.equal(res.status, 201);
    assert.equal(res.body.id, first.body.id);
    assert.equal(providerCalls.length, calls + 1);
    const rows = await rowsFor(b.order_id);
    assert.deepEqual(
      rows.map((r) => r.status),
      ['succeeded'],
    );
  });

  it('when a different request reuses the stale key, then 409 idempotency_key_reused and the claim is left alone', async () => {
    const key = randomUUID();
    const b = body();
    await charge(b, key);
    await orphan(b.order_id, STALE_AFTER_MS + 500);
    const res = await charge({ ...b, amount_cents: 1 }, key);
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'idempotency_key_reused'));
    assert.deepEqual(
      (await rowsFor(b.order_id)).map((r) => [r.status, r.amount_cents]),
      [['processing', 2599]],
    );
  });
});
