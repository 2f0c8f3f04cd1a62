import type { Faults } from '@tracequest/faults';
import { createServiceApp, type Verifier } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import { ProductRepository } from './product-repository';
import { ReservationRepository } from './reservation-repository';
import { routes } from './routes';

export interface AppDeps {
  pool: Pool;
  logger: Logger;
  reservationTtlSeconds: number;
  faults?: Faults;
  /** Checks callers' tokens against auth's keys. */
  verifier: Verifier;
}

export function createApp({ pool, logger, reservationTtlSeconds, faults, verifier }: AppDeps) {
  return createServiceApp({
    logger,
    faults,
    routes: routes(
      {
        pool,
        faults,
        products: new ProductRepository(pool, faults),
        reservations: new ReservationRepository(pool),
        ttlSeconds: reservationTtlSeconds,
      },
      verifier,
    ),
    readiness: { postgres: () => pool.query('SELECT 1') },
  });
}
