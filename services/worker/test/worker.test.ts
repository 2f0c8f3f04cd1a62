import './preload';
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { context, ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { DLQ, QUEUE_ORDER_PAID } from '@tracequest/messaging';
import { eventually, request, startApp } from '@tracequest/testkit';
import { createApp } from '../src/app';
import { readConfig } from '../src/config';
import { startConsumer } from '../src/consumer';
import {
  authService,
  ch,
  consumerCount,
  count,
  env,
  fromDlq,
  logger,
  orderPaid,
  orderService,
  pool,
  publish,
  purgeQueues,
  setUp,
  startWorker,
  tearDown,
} from './harness';

before(setUp);
after(tearDown);
beforeEach(purgeQueues);

describe('consuming order.paid', () => {
  it('when an order.paid event arrives, then a shipment, a notification and one fulfilment call with its id', async () => {
    const worker = await startWorker();
    try {
      const event = orderPaid();
      await publish(event, event.event_id);
      await eventually(async () => worker.of(event.event_id).length === 1);
      assert.deepEqual(worker.of(event.event_id), [{ eventId: event.event_id, attempt: 1, outcome: 'fulfilled' }]);
      const {
        rows: [shipment],
      } = await pool.query('SELECT * FROM shipments WHERE order_id = $1', [event.order_id]);
      assert.equal(shipment.carrier, 'tracequest-post');
      assert.match(shipment.tracking_number, /^TQ[0-9A-F]{10}$/);
      assert.deepEqual(orderService.callsFor(event.order_id), [{ orderId: event.order_id, shipmentId: shipment.id, status: 200 }]);
      const { rows: notes } = await pool.query('SELECT channel, template, recipient FROM notifications WHERE order_id = $1', [
        event.order_id,
      ]);
      // Addressed to the customer, as auth knows them.
      assert.deepEqual(notes, [
        { channel: 'email', template: 'order_shipped', recipient: `${event.user_id.slice(0, 8)}@customers.example` },
      ]);
      assert.deepEqual(
        authService.lookups.filter((l) => l.userId === event.user_id).map((l) => l.userId),
        [event.user_id],
      );
      assert.equal(await count('processed_messages', event.order_id), 1);
      await eventually(async () => (await ch.checkQueue(QUEUE_ORDER_PAID)).messageCount === 0);
    } finally {
      await worker.stop();
    }
  });

  it('when the same event is delivered twice, then it is fulfilled once and the copy is skipped', async () => {
    const worker = await startWorker();
    try {
      const event = orderPaid();
      await publish(event, event.event_id);
      await publish(event, event.event_id);
      await eventually(async () => worker.of(event.event_id).length === 2);
      assert.deepEqual(
        worker
          .of(event.event_id)
          .map((o) => o.outcome)
          .sort(),
        ['duplicate', 'fulfilled'],
      );
      assert.equal(await count('shipments', event.order_id), 1);
      assert.equal(await count('notifications', event.order_id), 1);
      assert.equal(orderService.callsFor(event.order_id).length, 1);
    } finally {
      await worker.stop();
    }
  });

  it('when the order service fails twice, then the event is retried with x-attempt and fulfilled once', async () => {
    const worker = await startWorker();
    try {
      const event = orderPaid();
      orderService.failuresLeft.set(event.order_id, 2);
      await publish(event, event.event_id);
      await eventually(async () => worker.of(event.event_id).some((o) => o.outcome === 'fulfilled'));
      assert.deepEqual(
        worker.of(event.event_id).map((o) => [o.attempt, o.outcome]),
        [
          [1, 'error'],
          [2, 'error'],
          [3, 'fulfilled'],
        ],
      );
      assert.deepEqual(
        orderService.callsFor(event.order_id).map((c) => c.status),
        [500, 500, 200],
      );
      assert.equal(await count('shipments', event.order_id), 1);
      assert.equal(await count('notifications', event.order_id), 1);
      assert.equal(await count('processed_messages', event.order_id), 1);
      assert.equal((await ch.checkQueue(DLQ)).messageCount, 0);
    } finally {
      await worker.stop();
    }
  });

  it('when the order service keeps failing, then after WORKER_MAX_ATTEMPTS the message is dead-lettered and nothing is kept', async () => {
    const worker = await startWorker({ maxAttempts: 2, retryDelayMs: 50 });
    try {
      const event = orderPaid();
      orderService.failuresLeft.set(event.order_id, Infinity);
      await publish(event, event.event_id);
      const dead = await fromDlq(event.event_id);
      assert.equal(dead.properties.headers?.['x-attempt'], 2);
      assert.equal(dead.properties.headers?.['x-death']?.[0]?.reason, 'rejected');
      assert.deepEqual(JSON.parse(dead.content.toString()), event);
      assert.deepEqual(
        worker.of(event.event_id).map((o) => [o.attempt, o.outcome]),
        [
          [1, 'error'],
          [2, 'error'],
        ],
      );
      assert.equal(orderService.callsFor(event.order_id).length, 2);
      assert.equal(await count('shipments', event.order_id), 0);
      assert.equal(await count('processed_messages', event.order_id), 0);
    } finally {
      await worker.stop();
    }
  });

  it('when a message carries trace context, then its processing and the fulfilment call continue that trace', async () => {
    const worker = await startWorker();
    try {
      const event = orderPaid();
      const traceId = randomBytes(16).toString('hex');
      const publisher = trace.setSpanContext(ROOT_CONTEXT, {
        traceId,
        spanId: randomBytes(8).toString('hex'),
        traceFlags: TraceFlags.SAMPLED,
      });
      await context.with(publisher, () => publish(event, event.event_id));
      await eventually(async () => worker.of(event.event_id).length === 1);
      assert.equal(orderService.traceparents.get(event.order_id)?.split('-')[1], traceId);
      assert.equal(authService.lookups.find((l) => l.userId === event.user_id)?.traceparent?.split('-')[1], traceId);
    } finally {
      await worker.stop();
    }
  });

  it('when the broker cancels the consumer (its queue was deleted), then the worker declares it again and keeps consuming', async () => {
    const worker = await startWorker();
    try {
      await ch.deleteQueue(QUEUE_ORDER_PAID);
      await eventually(async () => worker.amqp.isReady() && (await consumerCount(QUEUE_ORDER_PAID)) === 1, 15_000, 100);
      const event = orderPaid();
      await publish(event, event.event_id);
      await eventually(async () => worker.of(event.event_id).some((o) => o.outcome === 'fulfilled'));
    } finally {
      await worker.stop();
    }
  });

  it('when a delivery is still in hand at the stop limit, then stop returns and the broker has the message again', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled: string[] = [];
    const { amqp, consumer } = startConsumer({
      url: env.AMQP_URL!,
      prefetch: 1,
      maxAttempts: 5,
      retryDelayMs: 50,
      stopTimeoutMs: 300,
      logger,
      name: 'worker-test',
      handle: async (event) => {
        handled.push(event.event_id);
        await held; // a fault holding the delivery far past any shutdown
        return 'fulfilled';
      },
    });
    try {
      await eventually(async () => amqp.isReady(), 15_000);
      const event = orderPaid();
      await publish(event, event.event_id);
      await eventually(async () => handled.includes(event.event_id));
      let timer: NodeJS.Timeout | undefined;
      const guard = new Promise((resolve) => {
        timer = setTimeout(resolve, 10_000, 'still waiting');
      });
      const stopped = await Promise.race([consumer.stop().then(() => 'stopped'), guard]);
      clearTimeout(timer);
      assert.equal(stopped, 'stopped', 'stop() waits no longer than its limit');
      await amqp.close();
      // Unsettled on a closed channel: back on the queue for the next worker, not lost.
      await eventually(async () => (await ch.checkQueue(QUEUE_ORDER_PAID)).messageCount === 1, 10_000);
    } finally {
      release();
      await amqp.close().catch(() => undefined);
    }
  });

  for (const [label, body] of [
    ['not JSON', 'this is not json'],
    ['JSON that is not an order.paid event', JSON.stringify({ type: 'order.paid', order_id: 'nope' })],
  ]) {
    it(`when a message is ${label}, then it goes to the dead-letter queue at once and is never handled`, async () => {
      const worker = await startWorker();
      try {
        const messageId = randomUUID();
        const calls = orderService.calls.length;
        await publish(body, messageId);
        const dead = await fromDlq(messageId);
        assert.equal(dead.content.toString(), body);
        assert.equal(dead.properties.headers?.['x-attempt'], undefined, 'not retried');
        assert.equal(orderService.calls.length, calls);
      } finally {
        await worker.stop();
      }
    });
  }
});

describe('health and config', () => {
  it('when the channel is ready, then /readyz is 200; when it is not, then 503 naming rabbitmq', async () => {
    for (const [ready, status] of [
      [true, 200],
      [false, 503],
    ] as const) {
      const app = await startApp(createApp({ pool, amqpReady: () => ready, logger }));
      try {
        const res = await request(app.url, 'GET', '/readyz');
        assert.equal(res.status, status);
        assert.equal(res.body.checks.postgres, 'ok');
        assert.equal(res.body.checks.rabbitmq, ready ? 'ok' : 'error: channel not ready');
      } finally {
        await app.close();
      }
    }
  });

  it('when config values are out of range, then config names the variable, and defaults apply', () => {
    const base = {
      DATABASE_URL: env.DATABASE_URL,
      AMQP_URL: env.AMQP_URL,
      ORDER_URL: env.ORDER_URL,
      AUTH_URL: env.AUTH_URL,
      WORKER_CLIENT_SECRET: env.WORKER_CLIENT_SECRET,
    };
    const config = readConfig(base);
    assert.deepEqual(
      [config.WORKER_PORT, config.WORKER_PREFETCH, config.WORKER_MAX_ATTEMPTS, config.WORKER_RETRY_DELAY_MS],
      [8085, 10, 5, 1000],
    );
    assert.throws(() => readConfig({ ...base, WORKER_MAX_ATTEMPTS: '21' }), /WORKER_MAX_ATTEMPTS/);
    assert.throws(() => readConfig({ ...base, WORKER_RETRY_DELAY_MS: '-1' }), /WORKER_RETRY_DELAY_MS/);
    assert.throws(() => readConfig({ ...base, ORDER_URL: undefined }), /ORDER_URL/);
    assert.throws(() => readConfig({ ...base, AUTH_URL: undefined }), /AUTH_URL/);
    assert.throws(() => readConfig({ ...base, WORKER_CLIENT_SECRET: undefined }), /WORKER_CLIENT_SECRET: is not set/);
  });
});
