import type { PoolClient } from 'pg';

export interface OutboxEvent {
  id: string;
  aggregateId: string;
  eventType: string;
  payload: unknown;
  /** The W3C carrier (traceparent, tracestate, baggage) of the span that wrote the event. */
  traceContext: Record<string, string>;
}

/** Every method takes the caller's transaction: the outbox is only useful inside one. */
export class OutboxRepository {
  async add(client: PoolClient, e: OutboxEvent): Promise<void> {
    await client.query(`INSERT INTO outbox (id, aggregate_id, event_type, payload, trace_context) VALUES ($1, $2, $3, $4, $5)`, [
      e.id,
      e.aggregateId,
      e.eventType,
      JSON.stringify(e.payload),
      JSON.stringify(e.traceContext),
    ]);
  }

  /** Locks a batch of unpublished events; rows locked by another relay are skipped, never waited for. */
  async claim(client: PoolClient, limit: number): Promise<OutboxEvent[]> {
    const { rows } = await client.query<OutboxEvent>(
      `SELECT id, aggregate_id AS "aggregateId", event_type AS "eventType", payload, trace_context AS "traceContext"
         FROM outbox WHERE published_at IS NULL ORDER BY created_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows;
  }

  async markPublished(client: PoolClient, id: string): Promise<void> {
    await client.query('UPDATE outbox SET published_at = clock_timestamp(), attempts = attempts + 1 WHERE id = $1', [id]);
  }

  async markFailed(client: PoolClient, id: string): Promise<void> {
    await client.query('UPDATE outbox SET attempts = attempts + 1 WHERE id = $1', [id]);
  }
}
