import { type Db, statement } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export interface OutboxEvent {
  id: string;
  aggregateId: string;
  eventType: string;
  payload: unknown;
  /** The W3C carrier (traceparent, tracestate, baggage) of the span that wrote the event. */
  traceContext: Record<string, string>;
}

export interface ParkedEvent {
  id: string;
  eventType: string;
  attempts: number;
  lastError: string;
}

/** The relay's side of the outbox (OrderRepository.markPaid writes the rows, with the paid status). */
export class OutboxRepository {
  constructor(private readonly pool: Pool) {}

  /** Locks a batch of unpublished events; rows locked by another relay are skipped, never waited for. */
  async claim(limit: number, db: Db = this.pool): Promise<OutboxEvent[]> {
    const { rows } = await db.query<OutboxEvent>(
      statement(
        'outbox_claim',
        `SELECT id, aggregate_id AS "aggregateId", event_type AS "eventType", payload, trace_context AS "traceContext"
         FROM outbox WHERE published_at IS NULL AND parked_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      ),
    );
    return rows;
  }

  async markPublished(ids: string[], db: Db = this.pool): Promise<void> {
    if (!ids.length) return;
    await db.query(
      statement(
        'outbox_mark_published',
        'UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE id = ANY($1::uuid[])',
        [ids],
      ),
    );
  }

  /** Counts a failed attempt per event, with its error; an event at maxAttempts is parked. Returns the parked ones. */
  async markFailed(failures: { id: string; error: string }[], maxAttempts: number, db: Db = this.pool): Promise<ParkedEvent[]> {
    if (!failures.length) return [];
    const { rows } = await db.query<ParkedEvent & { parked: boolean }>(
      statement(
        'outbox_mark_failed',
        `UPDATE outbox o SET attempts = o.attempts + 1, last_error = f.error,
              parked_at = CASE WHEN o.attempts + 1 >= $3 THEN clock_timestamp() END
         FROM unnest($1::uuid[], $2::text[]) AS f(id, error)
        WHERE o.id = f.id
       RETURNING o.id, o.event_type AS "eventType", o.attempts, o.last_error AS "lastError", o.parked_at IS NOT NULL AS parked`,
        [failures.map((f) => f.id), failures.map((f) => f.error), maxAttempts],
      ),
    );
    return rows.filter((r) => r.parked).map(({ parked: _, ...r }) => r);
  }

  /** Deletes published events older than retentionMs, a batch at a time; resolves to how many. */
  async prunePublished(retentionMs: number, limit: number, db: Db = this.pool): Promise<number> {
    const { rowCount } = await db.query(
      statement(
        'outbox_prune_published',
        `DELETE FROM outbox WHERE id IN (
         SELECT id FROM outbox WHERE published_at < now() - make_interval(secs => $1 / 1000.0) LIMIT $2)`,
        [retentionMs, limit],
      ),
    );
    return rowCount ?? 0;
  }
}
