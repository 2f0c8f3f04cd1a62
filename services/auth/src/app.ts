import type { ServiceClient } from '@tracequest/contracts';
import type { Faults } from '@tracequest/faults';
import { createServiceApp } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import type { AuthLimits } from './config';
import { LoginThrottle } from './login-throttle';
import { Passwords } from './passwords';
import { routes } from './routes';
import type { Tokens } from './tokens';
import { UserRepository } from './user-repository';

export interface AppDeps {
  pool: Pool;
  tokens: Tokens;
  clients: Record<ServiceClient, string>;
  logger: Logger;
  faults?: Faults;
  limits: AuthLimits;
}

export function createApp({ pool, tokens, clients, logger, faults, limits }: AppDeps) {
  const app = createServiceApp({
    logger,
    faults,
    routes: routes({
      users: new UserRepository(pool),
      tokens,
      clients,
      passwords: new Passwords(limits.hashing),
      throttle: new LoginThrottle(limits.logins),
    }),
    readiness: { postgres: () => pool.query('SELECT 1') },
  });
  // The client's address (req.ip) is the x-forwarded-for the gateway sets, believed only from these peers.
  app.set('trust proxy', limits.trustProxy);
  return app;
}
