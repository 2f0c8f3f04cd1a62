import { Faults } from '@tracequest/faults';
import { closeServer, createPool, handleShutdown, listen, migrate, poolOptions, runMain } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { seedDemoUsers } from './accounts';
import { createApp } from './app';
import { authLimits, clientSecrets, MIGRATIONS, readConfig, SCHEMA } from './config';
import { Passwords } from './passwords';
import { SigningKeyRepository } from './signing-key-repository';
import { Tokens } from './tokens';
import { UserRepository } from './user-repository';

runMain('auth', async () => {
  const config = readConfig();
  const logger = createLogger('auth', config.LOG_LEVEL);
  const pool = createPool(config.DATABASE_URL, SCHEMA, poolOptions(config));
  await migrate(pool, SCHEMA, MIGRATIONS);
  const limits = authLimits(config);
  if (config.SEED_DEMO_USERS) await seedDemoUsers(new UserRepository(pool), new Passwords(limits.hashing));
  const faults = await Faults.start('auth', config);
  const tokens = await Tokens.load(pool, new SigningKeyRepository(pool), config.JWT_TTL_SECONDS);
  const app = createApp({ pool, faults, tokens, clients: clientSecrets(config), logger, limits });
  const { server, port } = await listen(app, config.AUTH_PORT, config.HOST);
  logger.info({ port }, 'auth listening');
  handleShutdown(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'faults', close: () => faults.close() },
    { name: 'postgres', close: () => pool.end() },
  ]);
});
