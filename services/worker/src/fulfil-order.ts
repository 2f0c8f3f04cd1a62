import type { OrderPaidEvent } from '@tracequest/contracts';
import type { Faults } from '@tracequest/faults';
import { transaction } from '@tracequest/service-kit';
import { ATTR, EVENT, withSpan } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import type { AuthClient } from './auth-client';
import type { FulfilmentRepository } from './fulfilment-repository';
import { fulfilmentFaults } from './injected-faults';
import type { OrderClient } from './order-client';
import { renderLabel } from './shipping-label';

export interface FulfilDeps {
  pool: Pool;
  repo: FulfilmentRepository;
  orders: OrderClient;
  customers: AuthClient;
  faults?: Faults;
}

export interface Delivery {
  messageId: string;
  attempt: number;
}

/**
 * Ships a paid order: the shipment, a notification to the customer (whose address auth knows) and
 * the order service's fulfilment call commit together or not at all, and an event already handled
 * is skipped. Throws when it must be retried.
 */
export function fulfilOrder(deps: FulfilDeps, event: OrderPaidEvent, delivery: Delivery): Promise<'fulfilled' | 'duplicate'> {
  const attributes = {
    [ATTR.ORDER_ID]: event.order_id,
    [ATTR.MESSAGING_MESSAGE_ID]: delivery.messageId,
    [ATTR.DELIVERY_ATTEMPT]: delivery.attempt,
  };
  return withSpan('worker.fulfil_order', attributes, async (span) => {
    await fulfilmentFaults(deps.faults, event.event_id);
    // Looked up before the transaction: no row stays locked while auth answers.
    const customer = await deps.customers.user(event.user_id);
    // The order service is told inside the transaction: if it cannot take the fulfilment, nothing
    // here commits and the delivery is retried.
    const shipped = await transaction(deps.pool, async (db) => {
      const s = await deps.repo.ship(event.event_id, event.order_id, customer.email, db);
      if (s.duplicate) return s;
      span.setAttribute(ATTR.SHIPMENT_ID, s.shipmentId);
      await deps.orders.fulfil(event.order_id, s.shipmentId);
      return s;
    });
    if (shipped.duplicate) {
      span.addEvent(EVENT.DUPLICATE_SKIPPED);
      return 'duplicate';
    }
    if (shipped.created) await renderLabel(shipped.shipmentId);
    return 'fulfilled';
  });
}
