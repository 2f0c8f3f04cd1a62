import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export const CARRIER = 'tracequest-post';

/** An event is handled entirely or not at all: callers pass the client of their transaction. */
export class FulfilmentRepository {
  constructor(private readonly pool: Pool) {}

  /** Records the event as handled; false when it already was (a duplicate delivery). */
  async markProcessed(eventId: string, orderId: string, db: Db = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      'INSERT INTO processed_messages (event_id, order_id) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING',
      [eventId, orderId],
    );
    return rowCount === 1;
  }

  /** Creates the order's shipment, or returns the one it already has. */
  async createShipment(orderId: string, db: Db = this.pool): Promise<{ id: string; created: boolean }> {
    const trackingNumber = `TQ${randomBytes(5).toString('hex').toUpperCase()}`;
    const inserted = await db.query<{ id: string }>(
      `INSERT INTO shipments (id, order_id, carrier, tracking_number) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [randomUUID(), orderId, CARRIER, trackingNumber],
    );
    if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
    const { rows } = await db.query<{ id: string }>('SELECT id FROM shipments WHERE order_id = $1', [orderId]);
    return { id: rows[0].id, created: false };
  }

  async addNotification(orderId: string, db: Db = this.pool): Promise<void> {
    await db.query(`INSERT INTO notifications (id, order_id, channel, template) VALUES ($1, $2, 'email', 'order_shipped')`, [
      randomUUID(),
      orderId,
    ]);
  }
}
