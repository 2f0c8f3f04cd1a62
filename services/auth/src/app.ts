import type { Pool } from 'pg';
import { createServiceApp } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import { routes } from './routes';
import type { Tokens } from './tokens';
import { UserRepository } from './user-repository';

export interface AppDeps {
  pool: Pool;
  tokens: Tokens;
  logger: Logger;
}

export function createApp({ pool, tokens, logger }: AppDeps) {
  return createServiceApp({
    logger,
    routes: routes({ users: new UserRepository(pool), tokens }),
    readiness: { postgres: () => pool.query('SELECT 1') },
  });
}
