import { trace } from '@opentelemetry/api';
import { conflict, notFound, transaction } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import * as reservations from './reservation-repository';

/** The order is paid: the held stock is sold for good. Committing twice is harmless. */
export async function commitReservation(pool: Pool, id: string) {
  trace.getActiveSpan()?.setAttribute(ATTR.RESERVATION_ID, id);
  if (await reservations.commitHeld(pool, id)) return { id, status: 'committed' as const };
  const status = await reservations.findStatus(pool, id);
  if (!status) throw notFound('reservation');
  if (status === 'committed') return { id, status };
  // A held reservation past its expiry is about to be swept: its stock is no longer promised.
  throw conflict('reservation_not_held', `reservation is ${status === 'held' ? 'past its expiry' : status}`);
}

/** The order failed: the held stock goes back on the shelf, exactly once. */
export async function releaseReservation(pool: Pool, id: string) {
  trace.getActiveSpan()?.setAttribute(ATTR.RESERVATION_ID, id);
  return transaction(pool, async (db) => {
    const status = await reservations.lockStatus(db, id);
    if (!status) throw notFound('reservation');
    if (status === 'committed') throw conflict('reservation_committed', 'a committed reservation cannot be released');
    if (status !== 'held') return { id, status };
    await reservations.returnStock(db, [id]);
    await reservations.setStatus(db, id, 'released');
    return { id, status: 'released' as const };
  });
}
