import type { OrderPaidEvent } from '@tracequest/contracts';
import type { Faults } from '@tracequest/faults';
import { transaction } from '@tracequest/service-kit';
import { ATTR, EVENT, withSpan } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import type { FulfilmentRepository } from './fulfilment-repository';
import { fulfilmentFaults } from './injected-faults';
import type { OrderClient } from './order-client';

export interface FulfilDeps {
  pool: Pool;
  repo: FulfilmentRepository;
  orders: OrderClient;
  faults?: Faults;
}

export interface Delivery {
  messageId: string;
  attempt: number;
}

/**
 * Ships a paid order: shipment, notification and the order service's fulfilment call commit
 * together or not at all, and an event already handled is skipped. Throws when it must be retried.
 */
export function fulfilOrder(deps: FulfilDeps, event: OrderPaidEvent, delivery: Delivery): Promise<'fulfilled' | 'duplicate'> {
  const attributes = {
    [ATTR.ORDER_ID]: event.order_id,
    [ATTR.MESSAGING_MESSAGE_ID]: delivery.messageId,
    [ATTR.DELIVERY_ATTEMPT]: delivery.attempt,
  };
  return withSpan('worker.fulfil_order', attributes, async (span) => {
    await fulfilmentFaults(deps.faults, event.event_id);
    return transaction(deps.pool, async (db) => {
      if (!(await deps.repo.markProcessed(event.event_id, event.order_id, db))) {
        span.addEvent(EVENT.DUPLICATE_SKIPPED);
        return 'duplicate' as const;
      }
      const shipment = await deps.repo.createShipment(event.order_id, db);
      span.setAttribute(ATTR.SHIPMENT_ID, shipment.id);
      if (shipment.created) await deps.repo.addNotification(event.order_id, db);
      await deps.orders.fulfil(event.order_id, shipment.id);
      return 'fulfilled' as const;
    });
  });
}
