import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { METRIC } from '@tracequest/telemetry';
import { eventually, recordCounters } from '@tracequest/testkit';
import { OutboxRepository } from '../src/outbox-repository';
import { RELAY_TEST_KEY, startOrderService, TestQueue } from './harness';

const counters = recordCounters();
let svc: Awaited<ReturnType<typeof startOrderService>>;
const queue = new TestQueue();
// No queue is bound for this routing key: the broker confirms the publish, and returns the message.
const UNROUTABLE_KEY = 'order.unroutable-test';

const insert = (ids: string[], key: string) =>
  svc.pool.query(
    `INSERT INTO outbox (id, aggregate_id, event_type, payload)
     SELECT id, gen_random_uuid(), $2, json_build_object('event_id', id) FROM unnest($1::uuid[]) AS id`,
    [ids, key],
  );
const rowOf = async (id: string) => (await svc.pool.query('SELECT * FROM outbox WHERE id = $1', [id])).rows[0];

before(async () => {
  svc = await startOrderService({ relayMaxAttempts: 3 });
  await queue.reset();
  await eventually(async () => svc.relays[0].amqp.isReady(), 15_000);
});
after(async () => {
  await svc.pool.query('DELETE FROM outbox WHERE event_type = $1', [UNROUTABLE_KEY]);
  await svc.close();
  await queue.remove();
});

describe('outbox relay: unroutable events and parking', () => {
  it('when no queue is bound for an event, then it is not marked published, and after the attempt cap it is parked and counted', async () => {
    const stuck = randomUUID();
    await insert([stuck], UNROUTABLE_KEY);
    await eventually(async () => (await rowOf(stuck)).parked_at !== null, 15_000, 100);
    const row = await rowOf(stuck);
    assert.equal(row.published_at, null);
    assert.equal(row.attempts, 3);
    assert.match(row.last_error, /unroutable/);
    assert.ok((counters.get(METRIC.OUTBOX_PARKED) ?? []).some((c) => c.attributes?.event_type === UNROUTABLE_KEY));
  });

  it('when events that always fail fill whole batches, then once parked the events behind them are published', async () => {
    const stuck = Array.from({ length: 60 }, () => randomUUID());
    await insert(stuck, UNROUTABLE_KEY);
    const behind = randomUUID();
    await insert([behind], RELAY_TEST_KEY);
    const received = await queue.collect([behind], (m) => m.properties.messageId, 30_000);
    assert.equal(received.get(behind)!.length, 1);
    assert.ok((await rowOf(behind)).published_at !== null);
  });

  it('when published events are older than the retention, then pruning deletes them and nothing else', async () => {
    const [old, recent, unpublished] = [randomUUID(), randomUUID(), randomUUID()];
    await insert([old, recent], RELAY_TEST_KEY);
    await eventually(async () => (await rowOf(old)).published_at !== null && (await rowOf(recent)).published_at !== null, 15_000);
    await svc.pool.query(`UPDATE outbox SET published_at = now() - interval '8 days' WHERE id = $1`, [old]);
    await svc.pool.query(
      `INSERT INTO outbox (id, aggregate_id, event_type, payload, created_at, parked_at)
       VALUES ($1, gen_random_uuid(), $2, '{}', now() - interval '30 days', now())`,
      [unpublished, UNROUTABLE_KEY],
    );
    assert.ok((await new OutboxRepository(svc.pool).prunePublished(7 * 86_400_000, 1000)) >= 1);
    assert.equal(await rowOf(old), undefined);
    assert.ok(await rowOf(recent));
    assert.ok(await rowOf(unpublished), 'an unpublished (parked) event is never pruned');
  });
});
