import { randomBytes, randomUUID } from 'node:crypto';
import { type Db, statement } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export const CARRIER = 'tracequest-post';

/** An event is handled entirely or not at all: callers pass the client of their transaction. */
export class FulfilmentRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * In one statement: records the event as handled, creates the order's shipment (or finds the one it
   * has) and, for a new shipment, the notification. A duplicate delivery writes nothing.
   */
  async ship(eventId: string, orderId: string, recipient: string, db: Db = this.pool): Promise<Shipped> {
    const trackingNumber = `TQ${randomBytes(5).toString('hex').toUpperCase()}`;
    const { rows } = await db.query<{ fresh: boolean; shipmentId: string | null; created: boolean }>(
      statement(
        'fulfilment_ship',
        `WITH processed AS (
         INSERT INTO processed_messages (event_id, order_id) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING RETURNING order_id),
       shipment AS (
         INSERT INTO shipments (id, order_id, carrier, tracking_number) SELECT $3, order_id, $4, $5 FROM processed
         ON CONFLICT (order_id) DO NOTHING RETURNING id),
       notified AS (
         INSERT INTO notifications (id, order_id, channel, template, recipient)
         SELECT $6, $2, 'email', 'order_shipped', $7 FROM shipment)
       SELECT EXISTS (SELECT 1 FROM processed) AS fresh, EXISTS (SELECT 1 FROM shipment) AS created,
              coalesce((SELECT id FROM shipment), (SELECT id FROM shipments WHERE order_id = $2)) AS "shipmentId"`,
        [eventId, orderId, randomUUID(), CARRIER, trackingNumber, randomUUID(), recipient],
      ),
    );
    const r = rows[0];
    if (!r.fresh) return { duplicate: true };
    if (!r.shipmentId) throw new Error(`order ${orderId} has a shipment this statement cannot see yet; retry`);
    return { duplicate: false, shipmentId: r.shipmentId, created: r.created };
  }
}

/** Redeliveries of unsettled messages, counted per message id (see migrations/003_redeliveries.sql). */
export class RedeliveryRepository {
  constructor(private readonly pool: Pool) {}

  /** Counts one more redelivery of the message; resolves to how many it has had. */
  async count(messageId: string, db: Db = this.pool): Promise<number> {
    const { rows } = await db.query<{ count: number }>(
      statement(
        'fulfilment_count_delivery',
        `INSERT INTO redeliveries (message_id, count) VALUES ($1, 1)
       ON CONFLICT (message_id) DO UPDATE SET count = redeliveries.count + 1, last_at = now() RETURNING count`,
        [messageId],
      ),
    );
    return rows[0].count;
  }

  /** Forgets counts older than olderThanMs. */
  async prune(olderThanMs: number, db: Db = this.pool): Promise<void> {
    await db.query(
      statement('fulfilment_prune', 'DELETE FROM redeliveries WHERE last_at < now() - make_interval(secs => $1 / 1000.0)', [olderThanMs]),
    );
  }
}

export type Shipped = { duplicate: true } | { duplicate: false; shipmentId: string; created: boolean };
