import { type Db, statement } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export interface IdempotencyKeyRow {
  requestHash: string;
  /** Null while the first request with the key is in flight. */
  statusCode: number | null;
  response: unknown;
  /** The order the first request created, once it has. */
  orderId: string | null;
}

export class IdempotencyKeyRepository {
  constructor(private readonly pool: Pool) {}

  /** Claims the key for a new request; false when it is taken (and younger than ttlMs). */
  async claim(userId: string, key: string, requestHash: string, ttlMs: number, db: Db = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      statement(
        'idempotency_claim',
        `INSERT INTO idempotency_keys (user_id, key, request_hash) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status_code = NULL, response = NULL, created_at = now()
         WHERE idempotency_keys.created_at < now() - make_interval(secs => $4 / 1000.0)`,
        [userId, key, requestHash, ttlMs],
      ),
    );
    return rowCount === 1;
  }

  async find(userId: string, key: string, db: Db = this.pool): Promise<IdempotencyKeyRow | undefined> {
    const { rows } = await db.query<IdempotencyKeyRow>(
      statement(
        'idempotency_find',
        `SELECT request_hash AS "requestHash", status_code AS "statusCode", response, order_id AS "orderId"
       FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
        [userId, key],
      ),
    );
    return rows[0];
  }

  /** Notes the order the key's request created, before any money moves for it. */
  async attachOrder(userId: string, key: string, orderId: string, db: Db = this.pool): Promise<void> {
    await db.query(
      statement('idempotency_attach_order', 'UPDATE idempotency_keys SET order_id = $3 WHERE user_id = $1 AND key = $2', [
        userId,
        key,
        orderId,
      ]),
    );
  }

  /** Stores the answer a retry with the key gets. */
  async complete(userId: string, key: string, statusCode: number, response: unknown, db: Db = this.pool): Promise<void> {
    await db.query(
      statement('idempotency_complete', 'UPDATE idempotency_keys SET status_code = $3, response = $4 WHERE user_id = $1 AND key = $2', [
        userId,
        key,
        statusCode,
        JSON.stringify(response),
      ]),
    );
  }

  /** Frees the key after a failure worth retrying (5xx): the next request with it runs again. */
  async release(userId: string, key: string, db: Db = this.pool): Promise<void> {
    await db.query(
      statement('idempotency_release', 'DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status_code IS NULL', [
        userId,
        key,
      ]),
    );
  }

  /**
   * Deletes keys older than ttlMs, and keys left in flight longer than inFlightMs that never got to
   * create an order (their process died first). A key with an order is kept its whole ttl: a retry
   * gets that order's outcome, never a second order. Resolves to how many.
   */
  async prune(ttlMs: number, inFlightMs: number, db: Db = this.pool): Promise<number> {
    const { rowCount } = await db.query(
      statement(
        'idempotency_prune',
        `DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(secs => $1 / 1000.0)
          OR (status_code IS NULL AND order_id IS NULL AND created_at < now() - make_interval(secs => $2 / 1000.0))`,
        [ttlMs, inFlightMs],
      ),
    );
    return rowCount ?? 0;
  }
}
