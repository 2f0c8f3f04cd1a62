import './preload';
// Stops and starts the shared RabbitMQ: run under `flock /tmp/tracequest-stack.lock` when a shop may be running.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { eventually } from '@tracequest/testkit';
import { orderIdOf, RELAY_TEST_KEY, startOrderService, startRelay, TestQueue } from './harness';

let svc: Awaited<ReturnType<typeof startOrderService>>;
const queue = new TestQueue();
const rabbitmqctl = (...args: string[]) => execFileSync('rabbitmqctl', ['-q', ...args], { stdio: 'ignore', timeout: 60_000 });

const outboxRows = async (ids: string[], column = 'aggregate_id') =>
  (await svc.pool.query(`SELECT * FROM outbox WHERE ${column} = ANY($1::uuid[])`, [ids])).rows;

before(async () => {
  svc = await startOrderService();
  await queue.reset();
  await eventually(async () => svc.relays[0].amqp.isReady(), 15_000);
});
after(async () => {
  await svc.close();
  await queue.remove();
});

describe('outbox relay', () => {
  it('when two relays poll the same outbox, then every event is published exactly once', async () => {
    const second = startRelay(svc.pool);
    try {
      const ids = Array.from({ length: 150 }, () => randomUUID());
      // One commit, so both relays find the whole batch waiting at once.
      await svc.pool.query(
        `INSERT INTO outbox (id, aggregate_id, event_type, payload)
         SELECT id, gen_random_uuid(), $2, json_build_object('event_id', id) FROM unnest($1::uuid[]) AS id`,
        [ids, RELAY_TEST_KEY],
      );
      const received = await queue.collect(ids, (m) => m.properties.messageId);
      assert.deepEqual(
        [...received.values()].map((list) => list.length),
        ids.map(() => 1),
      );
      const rows = await outboxRows(ids, 'id');
      assert.ok(rows.every((r) => r.published_at !== null && r.attempts === 1));
    } finally {
      await second.stop();
    }
  });

  it('when RabbitMQ is down, then checkouts still succeed and their events are published exactly once after it is back', {
    timeout: 120_000,
  }, async () => {
    const product = svc.inventory.addProduct(700);
    const relay = svc.relays[0];
    const orderIds: string[] = [];
    rabbitmqctl('stop_app');
    try {
      await eventually(async () => !relay.amqp.isReady(), 30_000);
      for (let i = 0; i < 3; i++) {
        const res = await svc.checkout(randomUUID(), [{ product_id: product, quantity: 1 }]);
        assert.equal(res.status, 201);
        assert.equal(res.body.status, 'paid');
        orderIds.push(res.body.id);
      }
      await new Promise((r) => setTimeout(r, 500)); // several polls pass with the broker away
      const waiting = await outboxRows(orderIds);
      assert.equal(waiting.length, 3);
      assert.ok(
        waiting.every((r) => r.published_at === null),
        'held in the outbox while the broker is down',
      );
    } finally {
      rabbitmqctl('start_app');
      rabbitmqctl('await_startup');
    }
    await eventually(async () => (await outboxRows(orderIds)).every((r) => r.published_at !== null), 30_000, 250);
    const received = await queue.collect(orderIds, orderIdOf, 30_000);
    assert.deepEqual(
      orderIds.map((id) => received.get(id)!.length),
      [1, 1, 1],
    );
  });
});
