import type { Pool } from 'pg';

export type ChargeStatus = 'processing' | 'succeeded' | 'declined' | 'failed' | 'refunded';

export interface Charge {
  id: string;
  orderId: string;
  amountCents: number;
  currency: string;
  cardLast4: string;
  status: ChargeStatus;
  failureCode: string | null;
  requestHash: string;
}

export type NewCharge = Omit<Charge, 'id' | 'status' | 'failureCode'> & { idempotencyKey: string };

const COLUMNS = `id, order_id AS "orderId", amount_cents AS "amountCents", currency, card_last4 AS "cardLast4",
  status, failure_code AS "failureCode", request_hash AS "requestHash"`;

export class ChargeRepository {
  constructor(private readonly pool: Pool) {}

  /** Claims the idempotency key with a processing row; undefined when the key is already taken. */
  async insertProcessing(c: NewCharge): Promise<Charge | undefined> {
    const { rows } = await this.pool.query<Charge>(
      `INSERT INTO charges (idempotency_key, request_hash, order_id, amount_cents, currency, card_last4, status)
       VALUES ($1, $2, $3, $4, $5, $6, 'processing') ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
      [c.idempotencyKey, c.requestHash, c.orderId, c.amountCents, c.currency, c.cardLast4],
    );
    return rows[0];
  }

  async findByKey(idempotencyKey: string): Promise<Charge | undefined> {
    const { rows } = await this.pool.query<Charge>(`SELECT ${COLUMNS} FROM charges WHERE idempotency_key = $1`, [idempotencyKey]);
    return rows[0];
  }

  async findById(id: string): Promise<Charge | undefined> {
    const { rows } = await this.pool.query<Charge>(`SELECT ${COLUMNS} FROM charges WHERE id = $1`, [id]);
    return rows[0];
  }

  async finish(id: string, status: ChargeStatus, failureCode: string | null): Promise<Charge> {
    const { rows } = await this.pool.query<Charge>(
      `UPDATE charges SET status = $2, failure_code = $3, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, status, failureCode],
    );
    return rows[0];
  }

  /** Refunds a succeeded charge; false when it is not (or no longer) succeeded. */
  async refund(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE charges SET status = 'refunded', updated_at = now() WHERE id = $1 AND status = 'succeeded'`,
      [id],
    );
    return rowCount === 1;
  }
}
