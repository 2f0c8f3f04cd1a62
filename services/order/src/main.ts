import { Faults } from '@tracequest/faults';
import { AmqpConnection, assertTopology } from '@tracequest/messaging';
import {
  closeServer,
  createPool,
  HttpClient,
  handleShutdown,
  listen,
  migrate,
  poolOptions,
  runEvery,
  runMain,
  ServiceCredentials,
  TokenVerifier,
} from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { startRecovery } from './abandoned-checkouts';
import { createApp } from './app';
import { MIGRATIONS, readConfig, SCHEMA } from './config';
import { IdempotencyKeyRepository } from './idempotency-key-repository';
import { InventoryClient } from './inventory-client';
import { OrderRepository } from './order-repository';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox-repository';
import { PaymentClient } from './payment-client';
import { WarehouseNotices } from './warehouse-notices';

const PRUNE_INTERVAL_MS = 600_000;

runMain('order', async () => {
  const config = readConfig();
  const logger = createLogger('order', config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, SCHEMA, poolOptions(config));
  await migrate(pool, SCHEMA, MIGRATIONS);
  const faults = await Faults.start('order', config);
  // The broker may be down at start-up: the connection keeps retrying while the outbox fills.
  const amqp = new AmqpConnection({ url: config.AMQP_URL, logger, name: 'order-outbox-relay', onReady: assertTopology }).start();
  const outbox = new OutboxRepository(pool);
  const relay = new OutboxRelay({
    pool,
    outbox,
    maxAttempts: config.OUTBOX_MAX_ATTEMPTS,
    channel: () => amqp.channel(),
    logger,
    intervalMs: config.OUTBOX_POLL_INTERVAL_MS,
    faults,
  }).start();
  const pruner = runEvery('outbox prune', PRUNE_INTERVAL_MS, logger, async () => {
    const pruned = await outbox.prunePublished(config.OUTBOX_RETENTION_MS, 10_000);
    if (pruned) logger.info({ pruned }, 'published outbox events pruned');
  });
  // A shopper's calls carry the shopper's token on; the sweeps and notices use order's own.
  const credentials = new ServiceCredentials(config.AUTH_URL, 'order', config.ORDER_CLIENT_SECRET, config.UPSTREAM_TIMEOUT_MS);
  const inventory = new InventoryClient(
    new HttpClient('inventory', config.INVENTORY_URL, config.UPSTREAM_TIMEOUT_MS, faults, { credentials }),
  );
  const payment = new PaymentClient(new HttpClient('payment', config.PAYMENT_URL, config.UPSTREAM_TIMEOUT_MS, faults, { credentials }));
  const recovery = startRecovery(
    {
      pool,
      orders: new OrderRepository(pool),
      inventory,
      payment,
      logger,
      keys: new IdempotencyKeyRepository(pool),
      keyTtlMs: config.IDEMPOTENCY_KEY_TTL_MS,
    },
    config.ABANDONED_CHECKOUT_AFTER_MS,
    config.ABANDONED_SWEEP_INTERVAL_MS,
  );
  const notices = new WarehouseNotices(inventory, logger).start();
  const app = createApp({
    pool,
    logger,
    faults,
    inventory,
    payment,
    notices,
    verifier: new TokenVerifier(config.AUTH_URL),
    idempotencyKeyTtlMs: config.IDEMPOTENCY_KEY_TTL_MS,
  });
  const { server, port } = await listen(app, config.ORDER_PORT, config.HOST);
  logger.info({ port }, 'order listening');
  handleShutdown(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'outbox-relay', close: () => relay.stop() },
    { name: 'outbox-prune', close: () => pruner.stop() },
    { name: 'warehouse-notices', close: () => notices.stop() },
    { name: 'abandoned-checkout-recovery', close: () => recovery.stop() },
    { name: 'amqp', close: () => amqp.close() },
    { name: 'faults', close: () => faults.close() },
    { name: 'postgres', close: () => pool.end() },
  ]);
});
