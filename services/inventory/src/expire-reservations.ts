import { runEvery, transaction } from '@tracequest/service-kit';
import { ATTR, EVENT, type Logger, withSpan } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import type { ReservationRepository } from './reservation-repository';

const BATCH = 500;

export interface ExpiryDeps {
  pool: Pool;
  reservations: ReservationRepository;
}

/** Expires held reservations past their expiry and returns their stock; resolves to how many. */
export async function expireReservations({ pool, reservations }: ExpiryDeps): Promise<number> {
  // Most sweeps find nothing; a cheap check outside any span keeps those out of the traces.
  if (!(await reservations.anyDue())) return 0;
  return withSpan('inventory.expire_reservations', {}, async (span) => {
    const ids = await transaction(pool, async (db) => {
      const due = await reservations.expireDue(BATCH, db);
      if (due.length) await reservations.returnStock(due, db);
      return due;
    });
    for (const id of ids) span.addEvent(EVENT.RESERVATION_EXPIRED, { [ATTR.RESERVATION_ID]: id });
    return ids.length;
  });
}

/** Expires due reservations every intervalMs; stop() waits for a sweep in progress. */
export const startSweeper = (deps: ExpiryDeps, intervalMs: number, logger: Logger) =>
  runEvery('reservation sweep', intervalMs, logger, async () => {
    const expired = await expireReservations(deps);
    if (expired) logger.info({ expired }, 'expired reservations');
  });
