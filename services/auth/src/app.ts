import type { ServiceClient } from '@tracequest/contracts';
import type { Faults } from '@tracequest/faults';
import { createServiceApp } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import { routes } from './routes';
import type { Tokens } from './tokens';
import { UserRepository } from './user-repository';

export interface AppDeps {
  pool: Pool;
  tokens: Tokens;
  clients: Record<ServiceClient, string>;
  logger: Logger;
  faults?: Faults;
}

export function createApp({ pool, tokens, clients, logger, faults }: AppDeps) {
  return createServiceApp({
    logger,
    faults,
    routes: routes({ users: new UserRepository(pool), tokens, clients }),
    readiness: { postgres: () => pool.query('SELECT 1') },
  });
}
