import type { LineItem, ReservationStatus } from '@tracequest/contracts';
import { type Db, statement } from '@tracequest/service-kit';
import type { Pool } from 'pg';

type ItemRow = ReservationRow['items'][number];

interface ReserveRow {
  existingId: string | null;
  id: string | null;
  orderId: string | null;
  status: ReservationStatus | null;
  expiresAt: Date | null;
  currency: string | null;
  currencies: number;
  items: (ItemRow & { stock: number })[];
  missing: string[] | null;
}

export type ReserveResult =
  | { kind: 'created'; reservation: ReservationRow }
  | { kind: 'exists'; id: string }
  | { kind: 'raced' }
  | { kind: 'refused'; why: 'missing'; productId: string }
  | { kind: 'refused'; why: 'short'; sku: string; requested: number; available: number }
  | { kind: 'refused'; why: 'mixed_currency' };

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

  /**
   * Reserves every item for the order, or none, in one statement: the products are locked in id
   * order (every reservation takes its locks in the same order, so none deadlock), checked, their
   * stock taken and the reservation written. When the order already has a reservation nothing is
   * taken and its id comes back; when an item cannot be had, nothing is written and the result
   * says why. `hold` keeps the row locks `faults.holdMs` before the commit (the lock_contention
   * fault; 0 when it is off): said here, not in the SQL, whose text every pg span carries.
   */
  async reserve(
    orderId: string,
    items: LineItem[],
    ttlSeconds: number,
    faults: { slowJoin: string; holdMs: number },
    db: Db = this.pool,
  ): Promise<ReserveResult> {
    const text = `WITH want AS (SELECT w.product_id, w.quantity FROM unnest($2::uuid[], $3::int[]) AS w(product_id, quantity)),
       existing AS (SELECT id FROM reservations WHERE order_id = $1),
       locked AS (
         SELECT p.id, p.sku, p.name, p.price_cents, p.currency, p.stock FROM products p${faults.slowJoin}
          WHERE p.id = ANY($2::uuid[]) AND NOT EXISTS (SELECT 1 FROM existing)
          ORDER BY p.id FOR UPDATE OF p),
       verdict AS (
         SELECT NOT EXISTS (SELECT 1 FROM existing)
            AND (SELECT count(*) FROM locked) = cardinality($2::uuid[])
            AND NOT EXISTS (SELECT 1 FROM want w JOIN locked l ON l.id = w.product_id WHERE l.stock < w.quantity)
            AND (SELECT count(DISTINCT currency) FROM locked) = 1 AS ok),
       hold AS (SELECT pg_sleep($5) FROM verdict WHERE ok),
       claimed AS (
         INSERT INTO reservations (order_id, status, expires_at)
         SELECT $1, 'held', now() + make_interval(secs => $4) FROM verdict, hold WHERE ok
         ON CONFLICT (order_id) DO NOTHING RETURNING id, order_id, status, expires_at),
       taken AS (UPDATE products p SET stock = p.stock - w.quantity FROM want w, claimed c WHERE p.id = w.product_id),
       saved AS (
         INSERT INTO reservation_items (reservation_id, product_id, quantity, price_cents)
         SELECT c.id, w.product_id, w.quantity, l.price_cents FROM claimed c CROSS JOIN want w JOIN locked l ON l.id = w.product_id)
       SELECT (SELECT id FROM existing) AS "existingId", c.id, c.order_id AS "orderId", c.status, c.expires_at AS "expiresAt",
              (SELECT min(currency) FROM locked) AS currency,
              (SELECT count(DISTINCT currency)::int FROM locked) AS currencies,
              (SELECT coalesce(json_agg(json_build_object('productId', l.id, 'sku', l.sku, 'name', l.name, 'quantity', w.quantity,
                        'priceCents', l.price_cents, 'stock', l.stock) ORDER BY l.sku COLLATE "C"), '[]')
                 FROM want w JOIN locked l ON l.id = w.product_id) AS items,
              (SELECT array_agg(w.product_id) FROM want w WHERE NOT EXISTS (SELECT 1 FROM locked l WHERE l.id = w.product_id)) AS missing
         FROM (SELECT 1) AS one LEFT JOIN claimed c ON true`;
    const values = [orderId, items.map((i) => i.product_id), items.map((i) => i.quantity), ttlSeconds, faults.holdMs / 1000];
    // The slow_query fault's text varies with its delay: that variant is parsed each time, unnamed.
    const query = faults.slowJoin ? { text, values } : statement('reservation_reserve', text, values);
    const { rows } = await db.query<ReserveRow>(query);
    const r = rows[0];
    if (r.existingId) return { kind: 'exists', id: r.existingId };
    if (r.id)
      return {
        kind: 'created',
        reservation: { id: r.id, orderId: r.orderId!, status: r.status!, expiresAt: r.expiresAt!, currency: r.currency!, items: r.items },
      };
    if (r.missing?.length) return { kind: 'refused', why: 'missing', productId: r.missing[0] };
    const short = r.items.find((i) => i.stock < i.quantity);
    if (short) return { kind: 'refused', why: 'short', sku: short.sku, requested: short.quantity, available: short.stock };
    if (r.currencies > 1) return { kind: 'refused', why: 'mixed_currency' };
    // Nothing refused it and nothing was written: a concurrent request for the same order won.
    return { kind: 'raced' };
  }

  /**
   * Locks the order's reservation. With none yet, a released one without items is written first, so
   * a reserve for the order still on its way finds it and takes nothing.
   */
  async lockForOrder(orderId: string, db: Db = this.pool): Promise<{ id: string; status: ReservationStatus }> {
    await db.query(
      statement(
        'reservation_placeholder',
        `INSERT INTO reservations (order_id, status, expires_at) VALUES ($1, 'released', now()) ON CONFLICT (order_id) DO NOTHING`,
        [orderId],
      ),
    );
    const { rows } = await db.query<{ id: string; status: ReservationStatus }>(
      statement('reservation_lock_for_order', 'SELECT id, status FROM reservations WHERE order_id = $1 FOR UPDATE', [orderId]),
    );
    return rows[0];
  }

  async findIdByOrder(orderId: string, db: Db = this.pool): Promise<string | undefined> {
    const { rows } = await db.query<{ id: string }>(
      statement('reservation_find_id_by_order', 'SELECT id FROM reservations WHERE order_id = $1', [orderId]),
    );
    return rows[0]?.id;
  }

  async findById(id: string, db: Db = this.pool): Promise<ReservationRow | undefined> {
    const { rows } = await db.query<ReservationRow>(
      statement(
        'reservation_find_by_id',
        `SELECT r.id, r.order_id AS "orderId", r.status, r.expires_at AS "expiresAt", min(p.currency) AS currency,
         json_agg(json_build_object('productId', p.id, 'sku', p.sku, 'name', p.name,
           'quantity', i.quantity, 'priceCents', i.price_cents) ORDER BY p.sku COLLATE "C") AS items
       FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id JOIN products p ON p.id = i.product_id
       WHERE r.id = $1 GROUP BY r.id`,
        [id],
      ),
    );
    return rows[0];
  }

  /** The reservation's status, with its row locked until the transaction ends. */
  async lockStatus(id: string, db: Db = this.pool): Promise<ReservationStatus | undefined> {
    const { rows } = await db.query<{ status: ReservationStatus }>(
      statement('reservation_lock_status', 'SELECT status FROM reservations WHERE id = $1 FOR UPDATE', [id]),
    );
    return rows[0]?.status;
  }

  async findStatus(id: string, db: Db = this.pool): Promise<ReservationStatus | undefined> {
    const { rows } = await db.query<{ status: ReservationStatus }>(
      statement('reservation_find_status', 'SELECT status FROM reservations WHERE id = $1', [id]),
    );
    return rows[0]?.status;
  }

  /** Commits a reservation that is still held and not yet past its expiry; false otherwise. */
  async commitHeld(id: string, db: Db = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      statement(
        'reservation_commit_held',
        `UPDATE reservations SET status = 'committed', updated_at = now()
       WHERE id = $1 AND status = 'held' AND expires_at > now()`,
        [id],
      ),
    );
    return rowCount === 1;
  }

  async setStatus(id: string, status: ReservationStatus, db: Db = this.pool): Promise<void> {
    await db.query(
      statement('reservation_set_status', 'UPDATE reservations SET status = $2, updated_at = now() WHERE id = $1', [id, status]),
    );
  }

  /** Puts the reserved quantities back on the shelf, locking products in the same order as a reserve. */
  async returnStock(reservationIds: string[], db: Db = this.pool): Promise<void> {
    const items = `SELECT product_id, sum(quantity)::int AS quantity FROM reservation_items
                   WHERE reservation_id = ANY($1::uuid[]) GROUP BY product_id`;
    await db.query(
      statement(
        'reservation_lock_returned',
        `SELECT p.id FROM products p JOIN (${items}) x ON x.product_id = p.id ORDER BY p.id FOR UPDATE OF p`,
        [reservationIds],
      ),
    );
    await db.query(
      statement(
        'reservation_return_stock',
        `UPDATE products p SET stock = p.stock + x.quantity FROM (${items}) x WHERE p.id = x.product_id`,
        [reservationIds],
      ),
    );
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
      statement(
        'reservation_expire_due',
        `UPDATE reservations r SET status = 'expired', updated_at = now()
       FROM (SELECT id FROM reservations WHERE status = 'held' AND expires_at <= now()
             ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
       WHERE r.id = due.id RETURNING r.id`,
        [limit],
      ),
    );
    return rows.map((r) => r.id);
  }
}
