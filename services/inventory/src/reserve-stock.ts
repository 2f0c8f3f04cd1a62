import type { Faults } from '@tracequest/faults';
import { AppError, conflict, transaction } from '@tracequest/service-kit';
import { ATTR, withSpan } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import { lockHoldMs, slowQueryJoin } from './injected-faults';
import type { Db, LineItem, Reservation } from './reservation-repository';
import * as reservations from './reservation-repository';

export interface ReserveDeps {
  pool: Pool;
  ttlSeconds: number;
  faults?: Faults;
}

export interface ReserveInput {
  order_id: string;
  items: LineItem[];
}

/**
 * Holds stock for every item of an order, or for none. One reservation per order: a retry
 * returns the existing one (created: false) without taking stock again.
 */
export function reserveStock(deps: ReserveDeps, input: ReserveInput): Promise<{ created: boolean; reservation: Reservation }> {
  const attributes = { [ATTR.ORDER_ID]: input.order_id, [ATTR.ORDER_ITEM_COUNT]: input.items.length };
  return withSpan('inventory.reserve_stock', attributes, async (span) => {
    const result = await transaction(deps.pool, async (db) => {
      // Claiming the order first makes a racing retry wait here, then find the winner's reservation.
      const newId = await reservations.insertHeld(db, input.order_id, deps.ttlSeconds);
      const id = newId ?? (await reservations.findIdByOrder(db, input.order_id));
      if (!id) throw new Error(`reservation for order ${input.order_id} vanished`);
      if (newId) await holdItems(db, newId, input.items, deps.faults);
      return { created: newId !== undefined, reservation: (await reservations.findById(db, id))! };
    });
    span.setAttribute(ATTR.RESERVATION_ID, result.reservation.id);
    return result;
  });
}

async function holdItems(db: Db, reservationId: string, items: LineItem[], faults?: Faults): Promise<void> {
  const locked = await reservations.lockProducts(
    db,
    items.map((i) => i.product_id),
    await slowQueryJoin(faults),
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
  await reservations.takeStock(db, items);
  const hold = await lockHoldMs(faults);
  if (hold) await reservations.holdLocks(db, hold);
  await reservations.insertItems(
    db,
    reservationId,
    items.map((i) => ({ ...i, price_cents: products.get(i.product_id)!.price_cents })),
  );
}
