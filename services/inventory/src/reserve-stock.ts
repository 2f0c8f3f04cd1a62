import type { Reservation, ReserveRequest } from '@tracequest/contracts';
import type { Faults } from '@tracequest/faults';
import { AppError, conflict } from '@tracequest/service-kit';
import { ATTR, withSpan } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import { lockHoldMs, slowQueryJoin } from './injected-faults';
import type { ReservationRepository, ReserveResult } from './reservation-repository';
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
    const faults = { slowJoin: await slowQueryJoin(deps.faults), holdMs: await lockHoldMs(deps.faults) };
    const result = await reservations.reserve(input.order_id, input.items, deps.ttlSeconds, faults);
    if (result.kind === 'refused') throw refusal(result);
    let created = true;
    let row = result.kind === 'created' ? result.reservation : undefined;
    if (!row) {
      // The order has its reservation already (a retry): the same one comes back, nothing is taken again.
      created = false;
      const id = result.kind === 'exists' ? result.id : await reservations.findIdByOrder(input.order_id);
      row = id ? await reservations.findById(id) : undefined;
      // Released by order id before it was made (its caller gave up on this call): nothing is taken.
      if (!row) throw conflict('reservation_released', 'the order released its reservation before it was made');
    }
    span.setAttribute(ATTR.RESERVATION_ID, row.id);
    return { created, reservation: toReservation(row) };
  });
}

function refusal(r: Extract<ReserveResult, { kind: 'refused' }>): AppError {
  if (r.why === 'missing') return new AppError(404, 'product_not_found', `product ${r.productId} not found`);
  if (r.why === 'short')
    return conflict('out_of_stock', `not enough stock for ${r.sku}: ${r.requested} requested, ${r.available} available`);
  return conflict('mixed_currency', 'all items of a reservation must have the same currency');
}
