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

/** The outbox is only useful inside the transaction of the change it announces: callers pass theirs. */
export class OutboxRepository {
  constructor(private readonly pool: Pool) {}

  async add(e: OutboxEvent, db: Db = this.pool): Promise<void> {
    await db.query(`INSERT INTO outbox (id, aggregate_id, event_type, payload, trace_context) VALUES ($1, $2, $3, $4, $5)`, [
      e.id,
      e.aggregateId,
      e.eventType,
      JSON.stringify(e.payload),
      JSON.stringify(e.traceContext),
    ]);
  }

  /** Locks a batch of unpublished events; rows locked by another relay are skipped, never waited for. */
  async claim(limit: number, db: Db = this.pool): Promise<OutboxEvent[]> {
    const { rows } = await db.query<OutboxEvent>(
      `SELECT id, aggregate_id AS "aggregateId", event_type AS "eventType", payload, trace_context AS "traceContext"
         FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows;
  }

  async markPublished(id: string, db: Db = this.pool): Promise<void> {
    await db.query('UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE id = $1', [id]);
  }

  async markFailed(id: string, db: Db = this.pool): Promise<void> {
    await db.query('UPDATE outbox SET attempts = attempts + 1 WHERE id = $1', [id]);
  }
}
