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

  /**
   * Writes a claim's outcome. A success for an order voided meanwhile is written as refunded
   * instead, in the same statement: see voidOrder.
   */
  async finish(id: string, status: ChargeStatus, failureCode: string | null, db: Db = this.pool): Promise<ChargeRow> {
    const { rows } = await db.query<ChargeRow>(
      statement(
        'charge_finish',
        `UPDATE charges SET failure_code = $3, updated_at = now(),
         status = CASE WHEN $2 = 'succeeded'
                        AND (voided OR EXISTS (SELECT 1 FROM voided_orders v WHERE v.order_id = charges.order_id))
                       THEN 'refunded' ELSE $2 END
       WHERE id = $1 RETURNING ${COLUMNS}`,
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
   * Voids an order's charges: refuses new ones, refunds those that succeeded, and marks those still
   * at the provider. Two statements, each committed on its own, in this order. A charge finishing
   * concurrently is then refunded by one side or the other: finish sees the voided_orders row if
   * the void committed before finish began, the mark if it came while finish ran (Postgres re-reads
   * a row changed under an UPDATE), and otherwise finish committed first and the second statement
   * here refunds its success. A claim that slipped in before the first statement's commit but was
   * not seen by the second is finished after the first committed, so finish sees voided_orders.
   */
  async voidOrder(orderId: string, db: Db = this.pool): Promise<string[]> {
    await db.query(statement('charge_void_order', 'INSERT INTO voided_orders (order_id) VALUES ($1) ON CONFLICT DO NOTHING', [orderId]));
    const { rows } = await db.query<{ id: string; status: ChargeStatus }>(
      statement(
        'charge_refund_voided',
        `UPDATE charges SET voided = true,
         status = CASE WHEN status = 'succeeded' THEN 'refunded' ELSE status END,
         updated_at = CASE WHEN status = 'succeeded' THEN now() ELSE updated_at END
       WHERE order_id = $1 AND (status = 'succeeded' OR (status = 'processing' AND NOT voided))
       RETURNING id, status`,
        [orderId],
      ),
    );
    return rows.filter((r) => r.status === 'refunded').map((r) => r.id);
  }

  /** Refunds a succeeded charge; false when it is not (or no longer) succeeded. */
  async refund(id: string, db: Db = this.pool): Promise<boolean> {
    const { rowCount } = await db.query(
      statement('charge_refund', `UPDATE charges SET status = 'refunded', updated_at = now() WHERE id = $1 AND status = 'succeeded'`, [id]),
    );
    return rowCount === 1;
  }
}
