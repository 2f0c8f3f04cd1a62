import type { LineItem, ReservationStatus } from '@tracequest/contracts';
import type { Db } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export interface LockedProduct {
  id: string;
  sku: string;
  priceCents: number;
  currency: string;
  stock: number;
}

export interface ReservationRow {
  id: string;
  orderId: string;
  status: ReservationStatus;
  expiresAt: Date;
  currency: string;
  items: { productId: string; sku: string; name: string; quantity: number; priceCents: number }[];
}

export class ReservationRepository {
  constructor(private readonly pool: Pool) {}

  /** Inserts a held reservation; undefined when the order already has one (waits for a racing insert). */
  async insertHeld(orderId: string, ttlSeconds: number, db: Db = this.pool): Promise<string | undefined> {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO reservations (order_id, status, expires_at) VALUES ($1, 'held', now() + make_interval(secs => $2))
       ON CONFLICT (order_id) DO NOTHING RETURNING id`,
      [orderId, ttlSeconds],
    );
    return rows[0]?.id;
  }

  async findIdByOrder(orderId: string, db: Db = this.pool): Promise<string | undefined> {
    const { rows } = await db.query<{ id: string }>('SELECT id FROM reservations WHERE order_id = $1', [orderId]);
    return rows[0]?.id;
  }

  /** Locks the products in id order: every transaction takes locks in the same order, so none deadlock. */
  async lockProducts(ids: string[], slowJoin = '', db: Db = this.pool): Promise<LockedProduct[]> {
    const { rows } = await db.query<LockedProduct>(
      `SELECT id, sku, price_cents AS "priceCents", currency, stock FROM products${slowJoin}
        WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE OF products`,
      [ids],
    );
    return rows;
  }

  async takeStock(items: LineItem[], db: Db = this.pool): Promise<void> {
    await db.query(
      `UPDATE products p SET stock = p.stock - x.quantity
       FROM unnest($1::uuid[], $2::int[]) AS x(id, quantity) WHERE p.id = x.id`,
      [items.map((i) => i.product_id), items.map((i) => i.quantity)],
    );
  }

  async insertItems(reservationId: string, items: (LineItem & { priceCents: number })[], db: Db = this.pool): Promise<void> {
    await db.query(
      `INSERT INTO reservation_items (reservation_id, product_id, quantity, price_cents)
       SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::int[])`,
      [reservationId, items.map((i) => i.product_id), items.map((i) => i.quantity), items.map((i) => i.priceCents)],
    );
  }

  async findById(id: string, db: Db = this.pool): Promise<ReservationRow | undefined> {
    const { rows } = await db.query<ReservationRow>(
      `SELECT r.id, r.order_id AS "orderId", r.status, r.expires_at AS "expiresAt", min(p.currency) AS currency,
         json_agg(json_build_object('productId', p.id, 'sku', p.sku, 'name', p.name,
           'quantity', i.quantity, 'priceCents', i.price_cents) ORDER BY p.sku COLLATE "C") AS items
       FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id JOIN products p ON p.id = i.product_id
       WHERE r.id = $1 GROUP BY r.id`,
      [id],
    );
    return rows[0];
  }

  /** The reservation's status, with its row locked until the transaction ends. */
  async lockStatus(id: string, db: Db = this.pool): Promise<ReservationStatus | undefined> {
    const { rows } = await db.query<{ status: ReservationStatus }>('SELECT status FROM reservations WHERE id = $1 FOR UPDATE', [id]);
    return rows[0]?.status;
  }

  async findStatus(id: string, db: Db = this.pool): Promise<ReservationStatus | undefined> {
    const { rows } = await db.query<{ status: ReservationStatus }>('SELECT status FROM reservations WHERE id = $1', [id]);
    return rows[0]?.status;
  }

  /** Commits a reservation that is still held and not yet past its expiry; false otherwise. */
  async commitHeld(id: string, db: Db = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      `UPDATE reservations SET status = 'committed', updated_at = now()
       WHERE id = $1 AND status = 'held' AND expires_at > now()`,
      [id],
    );
    return rowCount === 1;
  }

  async setStatus(id: string, status: ReservationStatus, db: Db = this.pool): Promise<void> {
    await db.query('UPDATE reservations SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
  }

  /** Puts the reserved quantities back on the shelf, locking products in the same order as a reserve. */
  async returnStock(reservationIds: string[], db: Db = this.pool): Promise<void> {
    const items = `SELECT product_id, sum(quantity)::int AS quantity FROM reservation_items
                   WHERE reservation_id = ANY($1::uuid[]) GROUP BY product_id`;
    await db.query(`SELECT p.id FROM products p JOIN (${items}) x ON x.product_id = p.id ORDER BY p.id FOR UPDATE OF p`, [reservationIds]);
    await db.query(`UPDATE products p SET stock = p.stock + x.quantity FROM (${items}) x WHERE p.id = x.product_id`, [reservationIds]);
  }

  /** Sleeps inside the transaction, keeping whatever rows it has locked (the lock_contention fault). */
  async holdLocks(ms: number, db: Db = this.pool): Promise<void> {
    await db.query('SELECT pg_sleep($1)', [ms / 1000]);
  }

  async anyDue(db: Db = this.pool): Promise<boolean> {
    const { rows } = await db.query<{ due: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM reservations WHERE status = 'held' AND expires_at <= now()) AS due`,
    );
    return rows[0].due;
  }

  /** Marks held reservations past their expiry as expired; rows another sweeper holds are skipped. */
  async expireDue(limit: number, db: Db = this.pool): Promise<string[]> {
    const { rows } = await db.query<{ id: string }>(
      `UPDATE reservations r SET status = 'expired', updated_at = now()
       FROM (SELECT id FROM reservations WHERE status = 'held' AND expires_at <= now()
             ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
       WHERE r.id = due.id RETURNING r.id`,
      [limit],
    );
    return rows.map((r) => r.id);
  }
}
