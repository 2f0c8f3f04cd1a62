import type { Db } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export interface OutboxEvent {
  id: string;
  aggregateId: string;
  eventType: string;
  payload: unknown;
  /** The W3C carrier (traceparent, tracestate, baggage) of the span that wrote the event. */
  traceContext: Record<string, string>;
}

/** The relay's side of the outbox (OrderRepository.markPaid writes the rows, with the paid status). */
export class OutboxRepository {
  constructor(private readonly pool: Pool) {}

  /** Locks a batch of unpublished events; rows locked by another relay are skipped, never waited for. */
  async claim(limit: number, db: Db = this.pool): Promise<OutboxEvent[]> {
    const { rows } = await db.query<OutboxEvent>(
      `SELECT id, aggregate_id AS "aggregateId", event_type AS "eventType", payload, trace_context AS "traceContext"
         FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows;
  }

  async markPublished(ids: string[], db: Db = this.pool): Promise<void> {
    if (!ids.length) return;
    await db.query('UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])', [ids]);
  }

  async markFailed(ids: string[], db: Db = this.pool): Promise<void> {
    await db.query('UPDATE outbox SET attempts = attempts + 1 WHERE id = ANY($1::uuid[])', [ids]);
  }
}
