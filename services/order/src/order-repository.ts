import type { LineItem, OrderStatus, Reservation } from '@tracequest/contracts';
import { type Db, statement } from '@tracequest/service-kit';
import type { Pool } from 'pg';
import type { OutboxEvent } from './outbox-repository';

export interface OrderItemRow {
  productId: string;
  sku: string | null;
  name: string | null;
  quantity: number;
  priceCents: number | null;
}

export interface OrderRow {
  id: string;
  userId: string;
  status: OrderStatus;
  totalCents: number | null;
  currency: string | null;
  failureReason: string | null;
  shipmentId: string | null;
  createdAt: Date;
  updatedAt: Date;
  items: OrderItemRow[];
}

const SELECT_ORDERS = `
  SELECT o.id, o.user_id AS "userId", o.status, o.total_cents AS "totalCents", o.currency,
         o.failure_reason AS "failureReason", o.shipment_id AS "shipmentId",
         o.created_at AS "createdAt", o.updated_at AS "updatedAt",
         (SELECT coalesce(json_agg(json_build_object('productId', i.product_id, 'sku', i.sku, 'name', i.name,
                   'quantity', i.quantity, 'priceCents', i.price_cents) ORDER BY i.line), '[]')
            FROM order_items i WHERE i.order_id = o.id) AS items
    FROM orders o`;

export class OrderRepository {
  constructor(private readonly pool: Pool) {}

  /** Inserts a pending order with its items, in one statement. */
  async create(id: string, userId: string, items: LineItem[], db: Db = this.pool): Promise<void> {
    await db.query(
      statement(
        'order_create',
        `WITH o AS (INSERT INTO orders (id, user_id, status) VALUES ($1, $2, 'pending'))
       INSERT INTO order_items (order_id, line, product_id, quantity)
       SELECT $1, t.line, t.product_id, t.quantity
         FROM unnest($3::uuid[], $4::int[]) WITH ORDINALITY AS t(product_id, quantity, line)`,
        [id, userId, items.map((i) => i.product_id), items.map((i) => i.quantity)],
      ),
    );
  }

  /** Copies the prices the inventory quoted onto the order and its items, in one statement. */
  async recordReservation(id: string, r: Reservation, db: Db = this.pool): Promise<void> {
    await db.query(
      statement(
        'order_record_reservation',
        `WITH o AS (UPDATE orders SET total_cents = $2, currency = $3, reservation_id = $4, updated_at = now() WHERE id = $1)
       UPDATE order_items i SET sku = t.sku, name = t.name, price_cents = t.price_cents
         FROM unnest($5::uuid[], $6::text[], $7::text[], $8::int[]) AS t(product_id, sku, name, price_cents)
        WHERE i.order_id = $1 AND i.product_id = t.product_id`,
        [
          id,
          r.total_cents,
          r.currency,
          r.id,
          r.items.map((i) => i.product_id),
          r.items.map((i) => i.sku),
          r.items.map((i) => i.name),
          r.items.map((i) => i.price_cents),
        ],
      ),
    );
  }

  /**
   * Marks a pending order paid and writes its event to the outbox in the same statement, so both
   * commit or neither does; returns the paid order. Throws when the order is no longer pending.
   */
  async markPaid(id: string, paymentId: string, reservationId: string, event: OutboxEvent, db: Db = this.pool): Promise<OrderRow> {
    const { rows } = await db.query<OrderRow>(
      statement(
        'order_mark_paid',
        `WITH o AS (
         UPDATE orders SET status = 'paid', payment_id = $2, reservation_id = $3, updated_at = now()
          WHERE id = $1 AND status = 'pending' RETURNING *),
       e AS (
         INSERT INTO outbox (id, aggregate_id, event_type, payload, trace_context)
         SELECT $4, o.id, $5, $6, $7 FROM o)
       ${SELECT_ORDERS.replace('FROM orders o', 'FROM o')}`,
        [id, paymentId, reservationId, event.id, event.eventType, JSON.stringify(event.payload), JSON.stringify(event.traceContext)],
      ),
    );
    if (!rows[0]) throw new Error(`order ${id} is no longer pending`);
    return rows[0];
  }

  async markFailed(id: string, reason: string, db: Db = this.pool): Promise<void> {
    await db.query(
      statement(
        'order_mark_failed',
        `UPDATE orders SET status = 'failed', failure_reason = $2, updated_at = now() WHERE id = $1 AND status = 'pending'`,
        [id, reason],
      ),
    );
  }

  /** Pending orders untouched for longer than olderThanMs: their checkout stopped midway. */
  async abandoned(olderThanMs: number, limit: number, db: Db = this.pool): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      statement(
        'order_abandoned',
        `SELECT id FROM orders WHERE status = 'pending' AND updated_at < now() - make_interval(secs => $1 / 1000.0)
        ORDER BY updated_at LIMIT $2`,
        [olderThanMs, limit],
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Locks one abandoned order for its recovery; undefined if it moved on or another sweep holds it. */
  async lockAbandoned(id: string, olderThanMs: number, db: Db = this.pool): Promise<{ reservationId: string | null } | undefined> {
    const { rows } = await db.query<{ reservationId: string | null }>(
      statement(
        'order_lock_abandoned',
        `SELECT reservation_id AS "reservationId" FROM orders
        WHERE id = $1 AND status = 'pending' AND updated_at < now() - make_interval(secs => $2 / 1000.0)
        FOR UPDATE SKIP LOCKED`,
        [id, olderThanMs],
      ),
    );
    return rows[0];
  }

  async delete(id: string, db: Db = this.pool): Promise<void> {
    await db.query(statement('order_delete', 'DELETE FROM orders WHERE id = $1', [id]));
  }

  /** Moves a paid order to fulfilled; returns the status it ends with, or undefined if unknown. */
  async fulfil(id: string, shipmentId: string, db: Db = this.pool): Promise<{ status: OrderStatus; changed: boolean } | undefined> {
    const updated = await db.query(
      statement(
        'order_fulfil',
        `UPDATE orders SET status = 'fulfilled', shipment_id = $2, updated_at = now() WHERE id = $1 AND status = 'paid'`,
        [id, shipmentId],
      ),
    );
    if (updated.rowCount === 1) return { status: 'fulfilled', changed: true };
    const { rows } = await db.query<{ status: OrderStatus }>(statement('order_status', 'SELECT status FROM orders WHERE id = $1', [id]));
    return rows[0] && { status: rows[0].status, changed: false };
  }

  async find(id: string, db: Db = this.pool): Promise<OrderRow | undefined> {
    const { rows } = await db.query<OrderRow>(statement('order_find', `${SELECT_ORDERS} WHERE o.id = $1`, [id]));
    return rows[0];
  }

  async listByUser(userId: string, limit: number, db: Db = this.pool): Promise<OrderRow[]> {
    const { rows } = await db.query<OrderRow>(
      statement('order_list_by_user', `${SELECT_ORDERS} WHERE o.user_id = $1 ORDER BY o.created_at DESC, o.id LIMIT $2`, [userId, limit]),
    );
    return rows;
  }
}
