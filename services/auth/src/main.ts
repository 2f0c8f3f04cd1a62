import { Faults } from '@tracequest/faults';
import { closeServer, createPool, handleShutdown, listen, migrate, poolOptions, runMain } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { seedDemoUsers } from './accounts';
import { createApp } from './app';
import { MIGRATIONS, readConfig, SCHEMA } from './config';
import { SigningKeyRepository } from './signing-key-repository';
import { Tokens } from './tokens';
import { UserRepository } from './user-repository';

runMain('auth', async () => {
  const config = readConfig();
  const logger = createLogger('auth', config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, SCHEMA, poolOptions(config));
  await migrate(pool, SCHEMA, MIGRATIONS);
  if (config.SEED_DEMO_USERS) await seedDemoUsers(new UserRepository(pool));
  const faults = await Faults.start('auth', config);
  const tokens = await Tokens.load(pool, new SigningKeyRepository(pool), config.JWT_TTL_SECONDS);
  const app = createApp({ pool, faults, tokens, logger });
  const { server, port } = await listen(app, config.AUTH_PORT);
  logger.info({ port }, 'auth listening');
  handleShutdown(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'faults', close: () => faults.close() },
    { name: 'postgres', close: () => pool.end() },
  ]);
});
