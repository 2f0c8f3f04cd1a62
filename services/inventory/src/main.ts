import { Faults } from '@tracequest/faults';
import { closeServer, createPool, handleShutdown, listen, migrate, poolOptions, runMain, TokenVerifier } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { createApp } from './app';
import { MIGRATIONS, readConfig, SCHEMA } from './config';
import { startSweeper } from './expire-reservations';
import { ReservationRepository } from './reservation-repository';

runMain('inventory', async () => {
  const config = readConfig();
  const logger = createLogger('inventory', config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, SCHEMA, poolOptions(config));
  await migrate(pool, SCHEMA, MIGRATIONS);
  const faults = await Faults.start('inventory', config);
  const app = createApp({
    pool,
    logger,
    faults,
    reservationTtlSeconds: config.RESERVATION_TTL_SECONDS,
    verifier: new TokenVerifier(config.AUTH_URL),
  });
  const { server, port } = await listen(app, config.INVENTORY_PORT, config.HOST);
  const sweeper = startSweeper({ pool, reservations: new ReservationRepository(pool) }, config.RESERVATION_SWEEP_INTERVAL_MS, logger);
  logger.info({ port }, 'inventory listening');
  handleShutdown(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'reservation-sweeper', close: () => sweeper.stop() },
    { name: 'faults', close: () => faults.close() },
    { name: 'postgres', close: () => pool.end() },
  ]);
});
