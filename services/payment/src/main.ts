import { Faults } from '@tracequest/faults';
import { closeServer, createPool, handleShutdown, listen, migrate, poolOptions, runMain, TokenVerifier } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { createApp } from './app';
import { MIGRATIONS, readConfig, SCHEMA } from './config';
import { SimulatedProvider } from './provider';

runMain('payment', async () => {
  const config = readConfig();
  const logger = createLogger('payment', config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, SCHEMA, poolOptions(config));
  await migrate(pool, SCHEMA, MIGRATIONS);
  const faults = await Faults.start('payment', config);
  const app = createApp({
    pool,
    faults,
    verifier: new TokenVerifier(config.AUTH_URL),
    provider: new SimulatedProvider(config.PROVIDER_LATENCY_MS, faults),
    logger,
    staleAfterMs: config.CHARGE_STALE_AFTER_MS,
  });
  const { server, port } = await listen(app, config.PAYMENT_PORT, config.HOST);
  logger.info({ port }, 'payment listening');
  handleShutdown(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'faults', close: () => faults.close() },
    { name: 'postgres', close: () => pool.end() },
  ]);
});
