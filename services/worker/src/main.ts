import { Faults } from '@tracequest/faults';
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
} from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { createApp } from './app';
import { AuthClient } from './auth-client';
import { MIGRATIONS, readConfig, SCHEMA } from './config';
import { startConsumer } from './consumer';
import { fulfilOrder } from './fulfil-order';
import { FulfilmentRepository, RedeliveryRepository } from './fulfilment-repository';
import { genericFaults } from './injected-faults';
import { OrderClient } from './order-client';

runMain('worker', async () => {
  const config = readConfig();
  const logger = createLogger('worker', config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, SCHEMA, poolOptions(config));
  await migrate(pool, SCHEMA, MIGRATIONS);
  const faults = await Faults.start('worker', config);
  // No shopper is on the line when an event is consumed: the worker calls as itself.
  const credentials = new ServiceCredentials(config.AUTH_URL, 'worker', config.WORKER_CLIENT_SECRET, config.UPSTREAM_TIMEOUT_MS);
  const deps = {
    faults,
    pool,
    repo: new FulfilmentRepository(pool),
    orders: new OrderClient(new HttpClient('order', config.ORDER_URL, config.UPSTREAM_TIMEOUT_MS, faults, { credentials })),
    customers: new AuthClient(new HttpClient('auth', config.AUTH_URL, config.UPSTREAM_TIMEOUT_MS, faults, { credentials })),
  };
  const redeliveries = new RedeliveryRepository(pool);
  const pruner = runEvery('redelivery prune', 3_600_000, logger, () => redeliveries.prune(7 * 86_400_000));
  const { amqp, consumer } = startConsumer({
    url: config.AMQP_URL,
    prefetch: config.WORKER_PREFETCH,
    maxAttempts: config.WORKER_MAX_ATTEMPTS,
    retryDelayMs: config.WORKER_RETRY_DELAY_MS,
    logger,
    countRedelivery: (messageId) => redeliveries.count(messageId),
    handle: async (event, delivery) => {
      await genericFaults(faults);
      return fulfilOrder(deps, event, delivery);
    },
  });
  const app = createApp({ pool, amqpReady: () => amqp.isReady(), logger, faults });
  const { server, port } = await listen(app, config.WORKER_PORT, config.HOST);
  logger.info({ port }, 'worker listening');
  handleShutdown(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'consumer', close: () => consumer.stop() },
    { name: 'redelivery-prune', close: () => pruner.stop() },
    { name: 'amqp', close: () => amqp.close() },
    { name: 'faults', close: () => faults.close() },
    { name: 'postgres', close: () => pool.end() },
  ]);
});
