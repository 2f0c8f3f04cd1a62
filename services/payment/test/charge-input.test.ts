import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { isErrorBody } from '@tracequest/testkit';
import { body, call, charge, rowsFor, startPayment, stopPayment } from './fixtures';

before(async () => {
  await startPayment();
});
after(stopPayment);

describe('POST /charges bad input', () => {
  for (const [label, make] of [
    ['a wrong type', () => body({ amount_cents: '2599' })],
    ['a fractional amount', () => body({ amount_cents: 25.99 })],
    ['a zero amount', () => body({ amount_cents: 0 })],
    ['an amount over the limit', () => body({ amount_cents: 100_000_001 })],
    ['a lower-case currency', () => body({ currency: 'usd' })],
    ['a bad order uuid', () => body({ order_id: 'order-1' })],
    ['an unknown field', () => body({ capture: false })],
    ['an unknown card field', () => body({}, { holder: 'Ada' })],
    ['a numeric card number', () => body({}, { card_number: 4242424242424242 })],
    ['a short card number', () => body({}, { card_number: '42424242' })],
    ['a card number with spaces', () => body({}, { card_number: '4242 4242 4242 4242' })],
    ['month 13', () => body({}, { exp_month: 13 })],
    ['a 5-digit cvc', () => body({}, { cvc: '12345' })],
    ['no card', () => ({ ...body(), card: undefined })],
  ] as const) {
    it(`when the body has ${label}, then 400 validation_failed and nothing is stored`, async () => {
      const b = make() as { order_id: string };
      const res = await charge(b);
      assert.equal(res.status, 400);
      assert.ok(isErrorBody(res.body, 'validation_failed'));
      if (/^[0-9a-f-]{36}$/.test(b.order_id)) assert.deepEqual(await rowsFor(b.order_id), []);
    });
  }

  for (const [label, key] of [
    ['missing', null],
    ['empty', ''],
    ['101 characters', 'k'.repeat(101)],
    ['a space', 'a key'],
  ] as const) {
    it(`when the Idempotency-Key is ${label}, then 400 invalid_idempotency_key and nothing is stored`, async () => {
      const b = body();
      const res = await charge(b, key);
      assert.equal(res.status, 400);
      assert.ok(isErrorBody(res.body, 'invalid_idempotency_key'));
      assert.deepEqual(await rowsFor(b.order_id), []);
    });
  }

  it('when the body is malformed JSON, then 400 invalid_json', async () => {
    const res = await call('POST', '/charges', { raw: '{"order_id": ', headers: { 'idempotency-key': randomUUID() } });
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_json'));
  });

  it('when the body is huge, then 413 payload_too_large and nothing is stored', async () => {
    const b = body({ note: 'x'.repeat(100_000) });
    const res = await charge(b);
    assert.equal(res.status, 413);
    assert.ok(isErrorBody(res.body, 'payload_too_large'));
    assert.deepEqual(await rowsFor(b.order_id), []);
  });
});
