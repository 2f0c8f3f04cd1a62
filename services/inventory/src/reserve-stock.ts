import type { LineItem, Reservation, ReserveRequest } from '@tracequest/contracts';
import type { Faults } from '@tracequest/faults';
import { AppError, conflict, type Db, transaction } from '@tracequest/service-kit';
import { ATTR, withSpan } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import { lockHoldMs, slowQueryJoin } from './injected-faults';
import type { ReservationRepository } from './reservation-repository';
import { toReservation } from './views';

export interface ReserveDeps {
  pool: Pool;
  reservations: ReservationRepository;
  ttlSeconds: number;
  faults?: Faults;
}

/**
 * Holds stock for every item of an order, or for none. One reservation per order: a retry
 * returns the existing one (created: false) without taking stock again.
 */
export function reserveStock(deps: ReserveDeps, input: ReserveRequest): Promise<{ created: boolean; reservation: Reservation }> {
  const attributes = { [ATTR.ORDER_ID]: input.order_id, [ATTR.ORDER_ITEM_COUNT]: input.items.length };
  return withSpan('inventory.reserve_stock', attributes, async (span) => {
    const { reservations } = deps;
    const result = await transaction(deps.pool, async (db) => {
      // Claiming the order first makes a racing retry wait here, then find the winner's reservation.
      const newId = await reservations.insertHeld(input.order_id, deps.ttlSeconds, db);
      const id = newId ?? (await reservations.findIdByOrder(input.order_id, db));
      if (!id) throw new Error(`reservation for order ${input.order_id} vanished`);
      if (newId) await holdItems(deps, db, newId, input.items);
      return { created: newId !== undefined, reservation: toReservation((await reservations.findById(id, db))!) };
    });
    span.setAttribute(ATTR.RESERVATION_ID, result.reservation.id);
    return result;
  });
}

async function holdItems({ reservations, faults }: ReserveDeps, db: Db, reservationId: string, items: LineItem[]): Promise<void> {
  const locked = await reservations.lockProducts(
    items.map((i) => i.product_id),
    await slowQueryJoin(faults),
    db,
  );
  const products = new Map(locked.map((p) => [p.id, p]));
  for (const item of items) {
    const product = products.get(item.product_id);
    if (!product) throw new AppError(404, 'product_not_found', `product ${item.product_id} not found`);
    if (product.stock < item.quantity)
      throw conflict('out_of_stock', `not enough stock for ${product.sku}: ${item.quantity} requested, ${product.stock} available`);
  }
  if (new Set([...products.values()].map((p) => p.currency)).size > 1)
    throw conflict('mixed_currency', 'all items of a reservation must have the same currency');
  await reservations.takeStock(items, db);
  const hold = await lockHoldMs(faults);
  if (hold) await reservations.holdLocks(hold, db);
  await reservations.insertItems(
    reservationId,
    items.map((i) => ({ ...i, priceCents: products.get(i.product_id)!.priceCents })),
    db,
  );
}
