import { randomUUID } from 'node:crypto';
import { ORDER_PAID } from '@tracequest/contracts';
import { AmqpConnection, assertTopology, EXCHANGE } from '@tracequest/messaging';
import { createPool, HttpClient, migrate } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { eventually, loadEnv, request, startApp, testAuth } from '@tracequest/testkit';
import { type Channel, connect, type GetMessage } from 'amqplib';
import { createApp } from '../src/app';
import { MIGRATIONS, SCHEMA } from '../src/config';
import { InventoryClient } from '../src/inventory-client';
import { OutboxRelay } from '../src/outbox-relay';
import { OutboxRepository } from '../src/outbox-repository';
import { PaymentClient } from '../src/payment-client';
import { CARDS, fakeInventory, fakePayment } from './fakes';

export const env = loadEnv();
export const logger = createLogger('order-test', 'silent');

/** The order service as main.ts composes it, with fake inventory and payment apps. */
export async function startOrderService({ relay = true, relayMaxAttempts = 10 } = {}) {
  const pool = createPool(env.DATABASE_URL!, SCHEMA);
  await migrate(pool, SCHEMA, MIGRATIONS);
  const auth = await testAuth();
  const inventory = fakeInventory();
  const payment = fakePayment();
  const inventoryApp = await startApp(inventory.app);
  const paymentApp = await startApp(payment.app);
  const clients = {
    inventory: new InventoryClient(new HttpClient('inventory', inventoryApp.url, 2000)),
    payment: new PaymentClient(new HttpClient('payment', paymentApp.url, 2000)),
  };
  const app = await startApp(createApp({ pool, logger, ...clients, verifier: auth.verifier() }));
  /** A request as this user, with the user's own token, as the gateway relays it. */
  const asUser = async (userId: string) => ({ token: await auth.sign(userId) });
  const relays = relay ? [startRelay(pool, relayMaxAttempts)] : [];
  const checkout = async (userId: string, items: { product_id: string; quantity: number }[], card = CARDS.ok, headers = {}) =>
    request(app.url, 'POST', '/orders', {
      ...(await asUser(userId)),
      headers,
      body: { items, payment: { card_number: card, exp_month: 12, exp_year: 2099, cvc: '123' } },
    });
  const close = async () => {
    await app.close();
    for (const r of relays) await r.stop();
    await inventoryApp.close();
    await paymentApp.close();
    await auth.close();
    await pool.end();
  };
  return { pool, app, auth, asUser, inventory, payment, clients, relays, checkout, close };
}

export function startRelay(pool: ReturnType<typeof createPool>, maxAttempts = 10) {
  const amqp = new AmqpConnection({
    url: env.AMQP_URL!,
    logger,
    name: `order-test-${randomUUID()}`,
    onReady: assertTopology,
    maxDelayMs: 1000,
  }).start();
  const relay = new OutboxRelay({
    pool,
    outbox: new OutboxRepository(pool),
    channel: () => amqp.channel(),
    logger,
    intervalMs: 100,
    maxAttempts,
  }).start();
  return {
    amqp,
    relay,
    stop: async () => {
      await relay.stop();
      await amqp.close();
    },
  };
}

async function withChannel<T>(fn: (ch: Channel) => Promise<T>): Promise<T> {
  const model = await connect(env.AMQP_URL!);
  model.on('error', () => undefined);
  try {
    return await fn(await model.createChannel());
  } finally {
    await model.close().catch(() => undefined);
  }
}

export const RELAY_TEST_KEY = 'order.relay-test';

/** A durable queue bound to the shop's exchange, standing in for a subscriber (durable to survive a broker restart). */
export class TestQueue {
  readonly name = 'order-test.order-paid';

  async reset(): Promise<void> {
    await withChannel(async (ch) => {
      await assertTopology(ch);
      await ch.assertQueue(this.name, { durable: true });
      await ch.bindQueue(this.name, EXCHANGE, ORDER_PAID);
      await ch.bindQueue(this.name, EXCHANGE, RELAY_TEST_KEY);
      await ch.purgeQueue(this.name);
    });
  }

  async remove(): Promise<void> {
    await withChannel((ch) => ch.deleteQueue(this.name));
  }

  /** Takes every message waiting now. */
  drain(): Promise<GetMessage[]> {
    return withChannel(async (ch) => {
      const out: GetMessage[] = [];
      for (let m = await ch.get(this.name, { noAck: true }); m; m = await ch.get(this.name, { noAck: true })) out.push(m);
      return out;
    });
  }

  /**
   * Collects messages until one has arrived for every key, then a little longer to catch duplicates;
   * returns the messages per key (other messages are ignored).
   */
  async collect(keys: string[], keyOf: (m: GetMessage) => string, timeoutMs = 15_000): Promise<Map<string, GetMessage[]>> {
    const seen = new Map<string, GetMessage[]>(keys.map((k) => [k, []]));
    const take = async () => {
      for (const m of await this.drain()) seen.get(safely(() => keyOf(m)))?.push(m);
      return [...seen.values()].every((list) => list.length > 0);
    };
    await eventually(take, timeoutMs, 200);
    await new Promise((r) => setTimeout(r, 1000));
    await take();
    return seen;
  }
}

const safely = (fn: () => string) => {
  try {
    return fn();
  } catch {
    return '';
  }
};

export const orderIdOf = (m: GetMessage) => JSON.parse(m.content.toString()).order_id as string;
export const traceIdOf = (traceparent: unknown) => String(traceparent).split('-')[1];
