// These tests consume the real worker.order-paid queue: run under `flock /tmp/tracequest-stack.lock`
// when a shop (whose worker would take their messages) may be running.
import { randomUUID } from 'node:crypto';
import { ORDER_PAID } from '@tracequest/contracts';
import { assertTopology, DLQ, EXCHANGE, QUEUE_ORDER_PAID } from '@tracequest/messaging';
import { createPool, HttpClient, migrate } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { eventually, loadEnv, type Started, startApp } from '@tracequest/testkit';
import { type ChannelModel, type ConfirmChannel, connect, type GetMessage } from 'amqplib';
import { AuthClient } from '../src/auth-client';
import { MIGRATIONS, SCHEMA } from '../src/config';
import { startConsumer } from '../src/consumer';
import { fulfilOrder } from '../src/fulfil-order';
import { FulfilmentRepository } from '../src/fulfilment-repository';
import { OrderClient } from '../src/order-client';
import { fakeAuthService, fakeOrderService } from './fake-order';

export const env = loadEnv();
export const logger = createLogger('worker-test', 'silent');
export const pool = createPool(env.DATABASE_URL!, SCHEMA);
export const orderService = fakeOrderService();
export const authService = fakeAuthService();
let orderApp: Started;
let authApp: Started;
let model: ChannelModel;
export let ch: ConfirmChannel;

type Outcome = { eventId: string; attempt: number; outcome: string };

/** The worker's consumer as main.ts starts it; records each handling's outcome. */
export async function startWorker({ maxAttempts = 5, retryDelayMs = 50 } = {}) {
  const outcomes: Outcome[] = [];
  const deps = {
    pool,
    repo: new FulfilmentRepository(pool),
    orders: new OrderClient(new HttpClient('order', orderApp.url, 2000)),
    customers: new AuthClient(new HttpClient('auth', authApp.url, 2000)),
  };
  const { amqp, consumer } = startConsumer({
    url: env.AMQP_URL!,
    prefetch: 10,
    maxAttempts,
    retryDelayMs,
    logger,
    name: 'worker-test',
    handle: async (event, delivery) => {
      const record = (outcome: string) => outcomes.push({ eventId: event.event_id, attempt: delivery.attempt, outcome });
      try {
        const result = await fulfilOrder(deps, event, delivery);
        record(result);
        return result;
      } catch (err) {
        record('error');
        throw err;
      }
    },
  });
  await eventually(async () => amqp.isReady(), 15_000);
  const of = (eventId: string) => outcomes.filter((o) => o.eventId === eventId);
  return {
    amqp,
    of,
    stop: async () => {
      await consumer.stop();
      await amqp.close();
    },
  };
}

export const orderPaid = () => ({
  event_id: randomUUID(),
  type: 'order.paid',
  order_id: randomUUID(),
  user_id: randomUUID(),
  total_cents: 2500,
  currency: 'EUR',
  items: [{ product_id: randomUUID(), sku: 'SKU-1', name: 'Mug', quantity: 2, price_cents: 1250 }],
  occurred_at: new Date().toISOString(),
});

export function publish(body: object | string, messageId: string): Promise<void> {
  const content = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return new Promise((resolve, reject) =>
    ch.publish(EXCHANGE, ORDER_PAID, content, { persistent: true, messageId, contentType: 'application/json' }, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
}

/** Waits for a message with this id on the dead-letter queue (other dead letters are dropped). */
export const fromDlq = (messageId: string) =>
  eventually(async () => {
    for (let m = await ch.get(DLQ, { noAck: true }); m; m = await ch.get(DLQ, { noAck: true }))
      if (m.properties.messageId === messageId) return m;
    return undefined;
  }, 15_000) as Promise<GetMessage>;

/** Consumers on a queue, or -1 while it does not exist (checked on a throwaway channel: a miss closes it). */
export async function consumerCount(queue: string): Promise<number> {
  const probe = await model.createChannel();
  probe.on('error', () => undefined);
  try {
    return (await probe.checkQueue(queue)).consumerCount;
  } catch {
    return -1;
  } finally {
    await probe.close().catch(() => undefined);
  }
}

export const count = async (table: string, orderId: string) =>
  Number((await pool.query(`SELECT count(*) FROM ${table} WHERE order_id = $1`, [orderId])).rows[0].count);

export async function setUp(): Promise<void> {
  await migrate(pool, SCHEMA, MIGRATIONS);
  orderApp = await startApp(orderService.app);
  authApp = await startApp(authService.app);
  model = await connect(env.AMQP_URL!);
  model.on('error', () => undefined);
  ch = await model.createConfirmChannel();
  await assertTopology(ch);
}

export async function tearDown(): Promise<void> {
  await model.close();
  await orderApp.close();
  await authApp.close();
  await pool.end();
}

/** Each test starts with the worker's queues empty and no other consumer (a running shop's worker) on them. */
export async function purgeQueues(): Promise<void> {
  await eventually(async () => (await consumerCount(QUEUE_ORDER_PAID)) === 0, 5000).catch(() => {
    throw new Error(`another consumer is attached to ${QUEUE_ORDER_PAID} (is the shop running?): it would take these tests' messages`);
  });
  await ch.purgeQueue(QUEUE_ORDER_PAID);
  await ch.purgeQueue(DLQ);
}
