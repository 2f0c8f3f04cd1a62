import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Answer, type EventFacts, type Facts, type OrderFacts, type Phase, rows, total, verdicts } from '../src/chaos/verdicts';

const T = 1_000_000;
const phases: Phase[] = [
  { fault: 'none (baseline)', startedAt: T, faultEndedAt: T, endedAt: T + 10_000 },
  { fault: 'kill -9 order', startedAt: T + 10_000, faultEndedAt: T + 13_000, endedAt: T + 30_000 },
];
const stock = [{ sku: 'A', initial: 100, available: 90, sold: 8, held: 2, ordered: 8 }];

/** Ten good checkouts a second for 30 s, each fulfilled once; the kill's first 3 s answer 502. */
function run(): { answers: Answer[]; facts: Facts } {
  const answers: Answer[] = [];
  const orders: OrderFacts[] = [];
  const events: EventFacts[] = [];
  for (let t = T; t < T + 30_000; t += 100) {
    const down = t >= T + 10_000 && t < T + 13_000;
    if (down) {
      answers.push({ sentAt: t, ms: 5, status: 502, code: 'upstream_error' });
      continue;
    }
    const id = `order-${t}`;
    answers.push({ sentAt: t, ms: 50, status: 201, orderId: id });
    orders.push({ id, createdAt: t + 1, status: 'fulfilled', shipments: 1, notifications: 1, processed: 1, keptCharges: 1 });
    events.push({ id: `event-${t}`, orderId: id, published: true, consumed: true, deadLettered: false, parked: false });
  }
  return { answers, facts: { orders, events, stock, queued: 0 } };
}

const failing = (answers: Answer[], facts: Facts) =>
  verdicts(answers, phases, facts)
    .filter((v) => !v.ok)
    .map((v) => v.invariant);

describe('the chaos run’s verdicts', () => {
  it('when every 201 is fulfilled once and nothing is left over, then every invariant holds and the kill shows its errors and recovery', () => {
    const { answers, facts } = run();
    assert.deepEqual(failing(answers, facts), []);
    const [baseline, kill] = rows(answers, phases, facts);
    assert.equal(baseline.errors, 0);
    assert.equal(baseline.recoverMs, 0);
    assert.equal(kill.requests, 200);
    assert.equal(kill.errors, 30);
    assert.equal(kill.recoverMs, 0, 'checkouts succeed as soon as order is ready again');
    assert.equal(total(rows(answers, phases, facts), facts).requests, 300);
  });

  it('when a 201 order stays paid because its message was dead-lettered, then the order is lost but the message is accounted for', () => {
    const { answers, facts } = run();
    facts.orders[150].status = 'paid';
    facts.orders[150].shipments = 0;
    facts.events[150].consumed = false;
    facts.events[150].deadLettered = true;
    assert.deepEqual(failing(answers, facts), ['every checkout answered 201 is fulfilled exactly once']);
    assert.equal(rows(answers, phases, facts)[1].lost, 1);
  });

  it('when a message was published but neither consumed, parked nor dead-lettered, then a message is lost', () => {
    const { answers, facts } = run();
    facts.events[5].consumed = false;
    assert.ok(failing(answers, facts).includes('no message lost: outbox = consumed + parked + dead-lettered'));
  });

  it('when published messages still wait in the worker’s queue, then they are not lost, but the run has not settled', () => {
    const { answers, facts } = run();
    facts.events[5].consumed = false;
    facts.queued = 1;
    const message = verdicts(answers, phases, facts).find((v) => v.invariant.startsWith('no message lost'))!;
    assert.equal(message.ok, false);
    assert.match(message.detail, /0 lost, 0 unpublished, 1 queued/);
  });

  it('when a parked event is neither consumed nor dead-lettered, then no message is lost', () => {
    const { answers, facts } = run();
    facts.events[5] = { ...facts.events[5], consumed: false, published: false, parked: true };
    assert.ok(!failing(answers, facts).includes('no message lost: outbox = consumed + parked + dead-lettered'));
  });

  it('when a checkout answered 502 left a succeeded charge, then it is a kept charge', () => {
    const { answers, facts } = run();
    facts.orders.push({ id: 'x', createdAt: T + 11_000, status: 'failed', shipments: 0, notifications: 0, processed: 0, keptCharges: 1 });
    assert.deepEqual(failing(answers, facts), ['no checkout not answered 201 keeps a charge']);
    assert.equal(rows(answers, phases, facts)[1].kept, 1);
  });

  it('when an order is shipped twice, then it is not fulfilled exactly once, and counted duplicated (not lost)', () => {
    const { answers, facts } = run();
    facts.orders[3].shipments = 2;
    assert.deepEqual(failing(answers, facts), [
      'every checkout answered 201 is fulfilled exactly once',
      'nothing charged, shipped or notified twice',
    ]);
    assert.deepEqual([rows(answers, phases, facts)[0].duplicated, rows(answers, phases, facts)[0].lost], [1, 0]);
  });

  it('when an order is still pending after the sweep, then it is stuck', () => {
    const { answers, facts } = run();
    facts.orders.push({ id: 'p', createdAt: T + 12_000, status: 'pending', shipments: 0, notifications: 0, processed: 0, keptCharges: 0 });
    assert.deepEqual(failing(answers, facts), ['no order stays pending after the sweep']);
    assert.equal(rows(answers, phases, facts)[1].stuck, 1);
  });

  it('when stock went missing or below zero, then conservation and overselling fail', () => {
    const { answers, facts } = run();
    facts.stock = [{ ...stock[0], available: -1 }];
    assert.deepEqual(failing(answers, facts), ['stock is conserved: initial = available + sold + held', 'nothing oversold']);
    assert.equal(total(rows(answers, phases, facts), facts).oversold, 1);
  });

  it('when stock was committed for an order that did not go through, then it is reported as a finding, not a failed invariant', () => {
    const { answers, facts } = run();
    facts.stock = [{ ...stock[0], ordered: 7 }];
    const [v] = verdicts(answers, phases, facts).filter((x) => !x.ok);
    assert.deepEqual([v.invariant, v.finding], ['stock is sold only to paid orders', true]);
  });

  it('when a checkout sent before the kill is cut by it, then its error is the kill’s', () => {
    const { answers, facts } = run();
    answers.push({ sentAt: T + 9990, ms: 30, status: 0, code: 'no_answer' });
    const [baseline, kill] = rows(answers, phases, facts);
    assert.deepEqual([baseline.errors, kill.errors], [0, 31]);
  });

  it('when checkouts fail for 2 s after the fault ended, then it recovered in 2 s', () => {
    const { answers, facts } = run();
    for (const a of answers) if (a.sentAt >= T + 13_000 && a.sentAt < T + 15_000) Object.assign(a, { status: 503, orderId: undefined });
    assert.equal(rows(answers, phases, facts)[1].recoverMs, 2000);
  });

  it('when checkouts keep failing until the phase ends, then it did not recover', () => {
    const { answers, facts } = run();
    for (const a of answers) if (a.sentAt >= T + 10_000) Object.assign(a, { status: 0, code: 'no_answer', orderId: undefined });
    const kill = rows(answers, phases, facts)[1];
    assert.equal(kill.recoverMs, null);
    assert.ok(failing(answers, facts).includes('checkouts succeed again after every fault'));
  });

  it('when a product sells out, then its 409s are answers, not errors', () => {
    const { answers, facts } = run();
    answers.push({ sentAt: T + 500, ms: 20, status: 409, code: 'out_of_stock' });
    assert.equal(rows(answers, phases, facts)[0].errors, 0);
  });
});
