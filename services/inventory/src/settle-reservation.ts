import { trace } from '@opentelemetry/api';
import type { ReleaseOrderResult, ReservationState } from '@tracequest/contracts';
import { conflict, notFound, transaction } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import type { ReservationRepository } from './reservation-repository';

export interface SettleDeps {
  pool: Pool;
  reservations: ReservationRepository;
}

/** The order is paid: the held stock is sold for good. Committing twice is harmless. */
export async function commitReservation({ reservations }: SettleDeps, id: string): Promise<ReservationState> {
  trace.getActiveSpan()?.setAttribute(ATTR.RESERVATION_ID, id);
  if (await reservations.commitHeld(id)) return { id, status: 'committed' };
  const status = await reservations.findStatus(id);
  if (!status) throw notFound('reservation');
  if (status === 'committed') return { id, status };
  // A held reservation past its expiry is about to be swept: its stock is no longer promised.
  throw conflict('reservation_not_held', `reservation is ${status === 'held' ? 'past its expiry' : status}`);
}

/** The order failed: the held stock goes back on the shelf, exactly once. */
export async function releaseReservation({ pool, reservations }: SettleDeps, id: string): Promise<ReservationState> {
  trace.getActiveSpan()?.setAttribute(ATTR.RESERVATION_ID, id);
  return transaction(pool, async (db) => {
    const status = await reservations.lockStatus(id, db);
    if (!status) throw notFound('reservation');
    if (status === 'committed') throw conflict('reservation_committed', 'a committed reservation cannot be released');
    if (status !== 'held') return { id, status };
    await reservations.returnStock([id], db);
    await reservations.setStatus(id, 'released', db);
    return { id, status: 'released' };
  });
}

/**
 * The order was never paid although its stock was committed (its process died between the two, and
 * the abandoned-checkout sweep failed it and refunded the money): the stock goes back on the shelf,
 * exactly once. Only order calls this, for an order it has failed.
 */
export async function restockReservation({ pool, reservations }: SettleDeps, id: string): Promise<ReservationState> {
  trace.getActiveSpan()?.setAttribute(ATTR.RESERVATION_ID, id);
  return transaction(pool, async (db) => {
    const status = await reservations.lockStatus(id, db);
    if (!status) throw notFound('reservation');
    if (status !== 'held' && status !== 'committed') return { id, status };
    await reservations.returnStock([id], db);
    await reservations.setStatus(id, 'released', db);
    return { id, status: 'released' };
  });
}

/**
 * The order's reserve call went unanswered: whatever it holds goes back on the shelf, and a reserve
 * still on its way finds the order released and takes nothing. Releasing twice is harmless.
 */
export async function releaseOrderReservation({ pool, reservations }: SettleDeps, orderId: string): Promise<ReleaseOrderResult> {
  trace.getActiveSpan()?.setAttribute(ATTR.ORDER_ID, orderId);
  return transaction(pool, async (db) => {
    const { id, status } = await reservations.lockForOrder(orderId, db);
    trace.getActiveSpan()?.setAttribute(ATTR.RESERVATION_ID, id);
    if (status === 'committed') throw conflict('reservation_committed', 'a committed reservation cannot be released');
    if (status !== 'held') return { order_id: orderId, reservation_id: id, status };
    await reservations.returnStock([id], db);
    await reservations.setStatus(id, 'released', db);
    return { order_id: orderId, reservation_id: id, status: 'released' };
  });
}
