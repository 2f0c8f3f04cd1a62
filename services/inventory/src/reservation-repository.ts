import type { Pool, PoolClient } from 'pg';

// Every function takes the pool or the client of an open transaction, so callers choose the scope.
export type Db = Pool | PoolClient;

export type ReservationStatus = 'held' | 'committed' | 'released' | 'expired';

export interface LineItem {
  product_id: string;
  quantity: number;
}

export interface LockedProduct {
  id: string;
  sku: string;
  price_cents: number;
  currency: string;
  stock: number;
}

/** A reservation as the API shows it. */
export interface Reservation {
  id: string;
  order_id: string;
  status: ReservationStatus;
  expires_at: Date;
  total_cents: number;
  currency: string;
  items: { product_id: string; sku: string; name: string; quantity: number; price_cents: number }[];
}

/** Inserts a held reservation; undefined when the order already has one (waits for a racing insert). */
export async function insertHeld(db: Db, orderId: string, ttlSeconds: number): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO reservations (order_id, status, expires_at) VALUES ($1, 'held', now() + make_interval(secs => $2))
     ON CONFLICT (order_id) DO NOTHING RETURNING id`,
    [orderId, ttlSeconds],
  );
  return rows[0]?.id;
}

export async function findIdByOrder(db: Db, orderId: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>('SELECT id FROM reservations WHERE order_id = $1', [orderId]);
  return rows[0]?.id;
}

/** Locks the products in id order: every transaction takes locks in the same order, so none deadlock. */
export async function lockProducts(db: Db, ids: string[], slowJoin = ''): Promise<LockedProduct[]> {
  const { rows } = await db.query<LockedProduct>(
    `SELECT id, sku, price_cents, currency, stock FROM products${slowJoin} WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE OF products`,
    [ids],
  );
  return rows;
}

export async function takeStock(db: Db, items: LineItem[]): Promise<void> {
  await db.query(
    `UPDATE products p SET stock = p.stock - x.quantity
     FROM unnest($1::uuid[], $2::int[]) AS x(id, quantity) WHERE p.id = x.id`,
    [items.map((i) => i.product_id), items.map((i) => i.quantity)],
  );
}

export async function insertItems(db: Db, reservationId: string, items: (LineItem & { price_cents: number })[]): Promise<void> {
  await db.query(
    `INSERT INTO reservation_items (reservation_id, product_id, quantity, price_cents)
     SELECT $1, * FROM unnest($2::uuid[], $3::int[], $4::int[])`,
    [reservationId, items.map((i) => i.product_id), items.map((i) => i.quantity), items.map((i) => i.price_cents)],
  );
}

export async function findById(db: Db, id: string): Promise<Reservation | undefined> {
  const { rows } = await db.query<Omit<Reservation, 'total_cents'>>(
    `SELECT r.id, r.order_id, r.status, r.expires_at, min(p.currency) AS currency,
       json_agg(json_build_object('product_id', p.id, 'sku', p.sku, 'name', p.name,
         'quantity', i.quantity, 'price_cents', i.price_cents) ORDER BY p.sku COLLATE "C") AS items
     FROM reservations r JOIN reservation_items i ON i.reservation_id = r.id JOIN products p ON p.id = i.product_id
     WHERE r.id = $1 GROUP BY r.id`,
    [id],
  );
  if (!rows[0]) return undefined;
  return { ...rows[0], total_cents: rows[0].items.reduce((sum, i) => sum + i.quantity * i.price_cents, 0) };
}

/** The reservation's status, with its row locked until the transaction ends. */
export async function lockStatus(db: Db, id: string): Promise<ReservationStatus | undefined> {
  const { rows } = await db.query<{ status: ReservationStatus }>('SELECT status FROM reservations WHERE id = $1 FOR UPDATE', [id]);
  return rows[0]?.status;
}

export async function findStatus(db: Db, id: string): Promise<ReservationStatus | undefined> {
  const { rows } = await db.query<{ status: ReservationStatus }>('SELECT status FROM reservations WHERE id = $1', [id]);
  return rows[0]?.status;
}

/** Commits a reservation that is still held and not yet past its expiry; false otherwise. */
export async function commitHeld(db: Db, id: string): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE reservations SET status = 'committed', updated_at = now()
     WHERE id = $1 AND status = 'held' AND expires_at > now()`,
    [id],
  );
  return rowCount === 1;
}

export async function setStatus(db: Db, id: string, status: ReservationStatus): Promise<void> {
  await db.query('UPDATE reservations SET status = $2, updated_at = now() WHERE id = $1', [id, status]);
}

/** Puts the reserved quantities back on the shelf, locking products in the same order as a reserve. */
export async function returnStock(db: Db, reservationIds: string[]): Promise<void> {
  const items = `SELECT product_id, sum(quantity)::int AS quantity FROM reservation_items
                 WHERE reservation_id = ANY($1::uuid[]) GROUP BY product_id`;
  await db.query(`SELECT p.id FROM products p JOIN (${items}) x ON x.product_id = p.id ORDER BY p.id FOR UPDATE OF p`, [reservationIds]);
  await db.query(`UPDATE products p SET stock = p.stock + x.quantity FROM (${items}) x WHERE p.id = x.product_id`, [reservationIds]);
}

/** Sleeps inside the transaction, keeping whatever rows it has locked (the lock_contention fault). */
export async function holdLocks(db: Db, ms: number): Promise<void> {
  await db.query('SELECT pg_sleep($1)', [ms / 1000]);
}

export async function anyDue(db: Db): Promise<boolean> {
  const { rows } = await db.query<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM reservations WHERE status = 'held' AND expires_at <= now()) AS due`,
  );
  return rows[0].due;
}

/** Marks held reservations past their expiry as expired; rows another sweeper holds are skipped. */
export async function expireDue(db: Db, limit: number): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE reservations r SET status = 'expired', updated_at = now()
     FROM (SELECT id FROM reservations WHERE status = 'held' AND expires_at <= now()
           ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED) due
     WHERE r.id = due.id RETURNING r.id`,
    [limit],
  );
  return rows.map((r) => r.id);
}
