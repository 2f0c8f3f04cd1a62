import { randomBytes, randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';

export const CARRIER = 'tracequest-post';

/** Every method takes the caller's transaction: an event is handled entirely or not at all. */
export class FulfilmentRepository {
  /** Records the event as handled; false when it already was (a duplicate delivery). */
  async markProcessed(client: PoolClient, eventId: string, orderId: string): Promise<boolean> {
    const { rowCount } = await client.query(
      'INSERT INTO processed_messages (event_id, order_id) VALUES ($1, $2) ON CONFLICT (event_id) DO NOTHING',
      [eventId, orderId],
    );
    return rowCount === 1;
  }

  /** Creates the order's shipment, or returns the one it already has. */
  async createShipment(client: PoolClient, orderId: string): Promise<{ id: string; created: boolean }> {
    const trackingNumber = `TQ${randomBytes(5).toString('hex').toUpperCase()}`;
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO shipments (id, order_id, carrier, tracking_number) VALUES ($1, $2, $3, $4)
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [randomUUID(), orderId, CARRIER, trackingNumber],
    );
    if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
    const { rows } = await client.query<{ id: string }>('SELECT id FROM shipments WHERE order_id = $1', [orderId]);
    return { id: rows[0].id, created: false };
  }

  async addNotification(client: PoolClient, orderId: string): Promise<void> {
    await client.query(`INSERT INTO notifications (id, order_id, channel, template) VALUES ($1, $2, 'email', 'order_shipped')`, [
      randomUUID(),
      orderId,
    ]);
  }
}
