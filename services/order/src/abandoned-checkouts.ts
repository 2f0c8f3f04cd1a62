import { AppError, runEvery, transaction } from '@tracequest/service-kit';
import { ATTR, counter, EVENT, type Logger, METRIC, recordError, withSpan } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import type { IdempotencyKeyRepository } from './idempotency-key-repository';
import type { InventoryClient } from './inventory-client';
import type { OrderRepository } from './order-repository';
import type { PaymentClient } from './payment-client';

const BATCH = 50;

export interface RecoveryDeps {
  pool: Pool;
  orders: OrderRepository;
  inventory: InventoryClient;
  payment: PaymentClient;
  logger: Logger;
  /** Checkout Idempotency-Keys, pruned by the same sweep after keyTtlMs. */
  keys?: IdempotencyKeyRepository;
  keyTtlMs?: number;
}

/**
 * Fails checkouts whose saga stopped midway (the order process died between two steps), so none
 * stays `pending` with the customer's money or stock held: the order's payment is voided (refunded
 * if it was taken), its reservation released, and the order failed as `abandoned`.
 * Resolves to how many orders it recovered.
 */
export async function recoverAbandonedCheckouts(deps: RecoveryDeps, olderThanMs: number): Promise<number> {
  // Most sweeps find nothing; a query outside any span keeps those out of the traces.
  const ids = await deps.orders.abandoned(olderThanMs, BATCH);
  if (!ids.length) return 0;
  return withSpan('order.recover_abandoned', {}, async (span) => {
    let recovered = 0;
    for (const id of ids) {
      try {
        if (!(await recover(deps, id, olderThanMs))) continue;
        recovered++;
        span.addEvent(EVENT.CHECKOUT_ABANDONED, { [ATTR.ORDER_ID]: id });
      } catch (err) {
        // Left pending: the next sweep tries again.
        recordError(span, err);
        deps.logger.error({ err, order_id: id }, 'could not recover an abandoned checkout');
      }
    }
    return recovered;
  });
}

/** The order stays locked while payment and inventory are told, so a late saga step waits, then finds it failed. */
function recover(deps: RecoveryDeps, id: string, olderThanMs: number): Promise<boolean> {
  return transaction(deps.pool, async (db) => {
    const order = await deps.orders.lockAbandoned(id, olderThanMs, db);
    if (!order) return false;
    await deps.payment.voidOrder(id);
    try {
      // Without a reservation id the reserve call may still have made one: release by order id.
      if (order.reservationId) await deps.inventory.release(order.reservationId);
      else await deps.inventory.releaseOrder(id);
    } catch (err) {
      const code = err instanceof AppError && order.reservationId ? err.code : undefined;
      if (code === 'reservation_committed') {
        // The process died between commit and paid: the money is back, so the stock comes back too.
        await deps.inventory.restock(order.reservationId!);
        deps.logger.warn({ order_id: id, reservation_id: order.reservationId }, 'abandoned checkout had committed its stock: returned');
      } else if (code === 'not_found') {
        // Inventory has no such reservation (its data was reset, say): nothing is held to give back,
        // and a retry would fail the same way at every sweep, the order pending forever.
        deps.logger.warn(
          { order_id: id, reservation_id: order.reservationId },
          'abandoned checkout held a reservation inventory does not know',
        );
      } else throw err; // anything else: try again at the next sweep
    }
    await deps.orders.markFailed(id, 'abandoned', db);
    counter(METRIC.ORDERS_FAILED).add(1, { reason: 'abandoned' });
    deps.logger.warn({ order_id: id }, 'abandoned checkout failed: payment voided, stock released');
    return true;
  });
}

/** Sweeps every intervalMs; stop() waits for a sweep in progress. */
export const startRecovery = (deps: RecoveryDeps, olderThanMs: number, intervalMs: number) =>
  runEvery('abandoned checkout recovery', intervalMs, deps.logger, async () => {
    await recoverAbandonedCheckouts(deps, olderThanMs);
    // A key left in flight as long as an abandoned checkout lost its process too: free it as well.
    const pruned = deps.keys ? await deps.keys.prune(deps.keyTtlMs ?? 86_400_000, olderThanMs) : 0;
    if (pruned) deps.logger.info({ pruned }, 'expired idempotency keys pruned');
  });
