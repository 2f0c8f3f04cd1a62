import type { Faults } from '@tracequest/faults';
import { createServiceApp, type Verifier } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import { ChargeRepository } from './charge-repository';
import type { CardProvider } from './provider';
import { routes } from './routes';

export interface AppDeps {
  pool: Pool;
  provider: CardProvider;
  logger: Logger;
  faults?: Faults;
  /** Checks callers' tokens against auth's keys. */
  verifier: Verifier;
  staleAfterMs: number;
}

export function createApp({ pool, provider, logger, faults, staleAfterMs, verifier }: AppDeps) {
  return createServiceApp({
    logger,
    faults,
    routes: routes({ charges: new ChargeRepository(pool), provider, staleAfterMs, logger }, verifier),
    readiness: { postgres: () => pool.query('SELECT 1') },
  });
}
