import type { ChargeStatus } from '@tracequest/contracts';
import { type Db, statement } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export interface ChargeRow {
  id: string;
  orderId: string;
  amountCents: number;
  currency: string;
  cardLast4: string;
  status: ChargeStatus;
  failureCode: string | null;
  requestHash: string;
  /** True when this claim took over a stale `processing` row (its process died at the provider). */
  reclaimed?: boolean;
  /** On a claim: the order already had a succeeded charge (under another key) when it was made. */
  orderPaid?: boolean;
}

export type NewCharge = Omit<ChargeRow, 'id' | 'status' | 'failureCode'> & { idempotencyKey: string };

const COLUMNS = `id, order_id AS "orderId", amount_cents AS "amountCents", currency, card_last4 AS "cardLast4",
  status, failure_code AS "failureCode", request_hash AS "requestHash"`;

const UNIQUE_VIOLATION = '23505';
/** The failure code of a charge refused, or refunded, because its order already had a succeeded one. */
export const ALREADY_CHARGED = 'order_already_charged';

export class ChargeRepository {
  constructor(private readonly pool: Pool) {}

  /**
   * Claims the idempotency key with a processing row. The same request may take over a claim left
   * `processing` for longer than staleAfterMs (its process died at the provider). Undefined when the
   * key is taken, or the order is voided. The same statement tells whether the order is paid already.
   */
  async insertProcessing(c: NewCharge, staleAfterMs: number, db: Db = this.pool): Promise<ChargeRow | undefined> {
    const { rows } = await db.query<ChargeRow>(
      statement(
        'charge_insert_processing',
        `INSERT INTO charges (idempotency_key, request_hash, order_id, amount_cents, currency, card_last4, status)
       SELECT $1, $2, $3, $4, $5, $6, 'processing' WHERE NOT EXISTS (SELECT 1 FROM voided_orders WHERE order_id = $3)
       ON CONFLICT (idempotency_key) DO UPDATE SET updated_at = now()
         WHERE charges.status = 'processing' AND charges.request_hash = EXCLUDED.request_hash
           AND charges.updated_at < now() - make_interval(secs => $7 / 1000.0)
           AND NOT EXISTS (SELECT 1 FROM voided_orders WHERE order_id = charges.order_id)
       RETURNING ${COLUMNS}, created_at <> updated_at AS reclaimed,
         EXISTS (SELECT 1 FROM charges s WHERE s.order_id = $3 AND s.status = 'succeeded') AS "orderPaid"`,
        [c.idempotencyKey, c.requestHash, c.orderId, c.amountCents, c.currency, c.cardLast4, staleAfterMs],
      ),
    );
    return rows[0];
  }

  async findByKey(idempotencyKey: string, db: Db = this.pool): Promise<ChargeRow | undefined> {
    const { rows } = await db.query<ChargeRow>(
      statement('charge_find_by_key', `SELECT ${COLUMNS} FROM charges WHERE idempotency_key = $1`, [idempotencyKey]),
    );
    return rows[0];
  }

  async findById(id: string, db: Db = this.pool): Promise<ChargeRow | undefined> {
    const { rows } = await db.query<ChargeRow>(statement('charge_find_by_id', `SELECT ${COLUMNS} FROM charges WHERE id = $1`, [id]));
    return rows[0];
  }

  /**
   * Records a claim's outcome. A second succeeded charge for one order breaks the unique index
   * charges_one_succeeded_per_order: that charge is refunded instead, and undefined comes back.
   */
  async finishOnce(id: string, status: ChargeStatus, failureCode: string | null, db: Db = this.pool): Promise<ChargeRow | undefined> {
    try {
      return await this.finish(id, status, failureCode, db);
    } catch (err) {
      if ((err as { code?: string }).code !== UNIQUE_VIOLATION) throw err;
      await this.finish(id, 'refunded', ALREADY_CHARGED, db);
      return undefined;
    }
  }

  async finish(id: string, status: ChargeStatus, failureCode: string | null, db: Db = this.pool): Promise<ChargeRow> {
    const { rows } = await db.query<ChargeRow>(
      statement(
        'charge_finish',
        `UPDATE charges SET status = $2, failure_code = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, status, failureCode],
      ),
    );
    return rows[0];
  }

  async isVoided(orderId: string, db: Db = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(statement('charge_is_voided', 'SELECT 1 FROM voided_orders WHERE order_id = $1', [orderId]));
    return rowCount === 1;
  }

  /**
   * Voids an order's charges: refuses new ones and refunds those that succeeded. Two statements,
   * each committed on its own, in this order: a charge finishing concurrently either is refunded
   * here or sees the void in refundIfVoided.
   */
  async voidOrder(orderId: string, db: Db = this.pool): Promise<string[]> {
    await db.query(statement('charge_void_order', 'INSERT INTO voided_orders (order_id) VALUES ($1) ON CONFLICT DO NOTHING', [orderId]));
    const { rows } = await db.query<{ id: string }>(
      statement(
        'charge_refund_voided',
        `UPDATE charges SET status = 'refunded', updated_at = now() WHERE order_id = $1 AND status = 'succeeded' RETURNING id`,
        [orderId],
      ),
    );
    return rows.map((r) => r.id);
  }

  /** Run after finish: a charge that succeeded for an order voided meanwhile is refunded. */
  async refundIfVoided(id: string, db: Db = this.pool): Promise<ChargeRow | undefined> {
    const { rows } = await db.query<ChargeRow>(
      statement(
        'charge_refund_if_voided',
        `UPDATE charges SET status = 'refunded', updated_at = now()
       WHERE id = $1 AND status = 'succeeded' AND EXISTS (SELECT 1 FROM voided_orders v WHERE v.order_id = charges.order_id)
       RETURNING ${COLUMNS}`,
        [id],
      ),
    );
    return rows[0];
  }

  /** Refunds a succeeded charge; false when it is not (or no longer) succeeded. */
  async refund(id: string, db: Db = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      statement('charge_refund', `UPDATE charges SET status = 'refunded', updated_at = now() WHERE id = $1 AND status = 'succeeded'`, [id]),
    );
    return rowCount === 1;
  }
}
