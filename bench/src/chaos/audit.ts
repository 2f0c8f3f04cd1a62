// Reads what a chaos run left behind, from the databases, RabbitMQ and the shop's own API, scoped to
// the run's shoppers and products. Nothing here writes.
import { setTimeout as sleep } from 'node:timers/promises';
import { DLQ } from '@tracequest/messaging';
import { Pool } from 'pg';
import { queuedMessages } from '../broker';
import type { Answer, EventFacts, Facts, OrderFacts, Stock } from './verdicts';

export interface Rabbit {
  amqpUrl: string;
  /** The management API's port, to read the dead-letter queue without taking messages off it. */
  port: string;
  user: string;
  password: string;
}

export interface RunProduct {
  id: string;
  sku: string;
  initial: number;
}

export interface Backlog {
  pending: number;
  paid: number;
  unpublished: number;
  queued: number;
}

export class Audit {
  private readonly db: Pool;

  constructor(
    databaseUrl: string,
    private readonly rabbit: Rabbit,
    private readonly users: string[],
    private readonly products: RunProduct[],
  ) {
    this.db = new Pool({ connectionString: databaseUrl, max: 2 });
    // Postgres restarts under us on purpose: a dropped idle client is not an error here.
    this.db.on('error', () => undefined);
  }

  /** The run's products in one statement, so the snapshot is consistent. */
  async stock(): Promise<Stock[]> {
    const units = (status: string) =>
      `coalesce((SELECT sum(ri.quantity) FROM inventory.reservation_items ri JOIN inventory.reservations r ON r.id = ri.reservation_id
                  WHERE ri.product_id = p.id AND r.status = '${status}'), 0)::int`;
    const { rows } = await this.db.query<{ id: string; sku: string; available: number; sold: number; held: number; ordered: number }>(
      `SELECT p.id, p.sku, p.stock AS available, ${units('committed')} AS sold, ${units('held')} AS held,
              coalesce((SELECT sum(i.quantity) FROM orders.order_items i JOIN orders.orders o ON o.id = i.order_id
                         WHERE i.product_id = p.id AND o.status IN ('paid', 'fulfilled')), 0)::int AS ordered
         FROM inventory.products p WHERE p.id = ANY($1::uuid[]) ORDER BY p.sku`,
      [this.products.map((p) => p.id)],
    );
    const initial = new Map(this.products.map((p) => [p.id, p.initial]));
    return rows.map(({ id, ...r }) => ({ ...r, initial: initial.get(id)! }));
  }

  /** How the outbox marks a parked row, if it can: a parked_at column, or a status column. */
  private async parkedSql(): Promise<string> {
    const { rows } = await this.db.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'orders' AND table_name = 'outbox'`,
    );
    const columns = new Set(rows.map((r) => r.column_name));
    if (columns.has('parked_at')) return 'x.parked_at IS NOT NULL';
    if (columns.has('status')) return `x.status = 'parked'`;
    return 'false';
  }

  async backlog(): Promise<Backlog> {
    const parked = await this.parkedSql();
    const { rows } = await this.db.query<{ pending: number; paid: number; unpublished: number }>(
      `SELECT count(*) FILTER (WHERE o.status = 'pending')::int AS pending, count(*) FILTER (WHERE o.status = 'paid')::int AS paid,
              (SELECT count(*) FROM orders.outbox x JOIN orders.orders o2 ON o2.id = x.aggregate_id
                WHERE o2.user_id = ANY($1::uuid[]) AND x.published_at IS NULL AND NOT (${parked}))::int AS unpublished
         FROM orders.orders o WHERE o.user_id = ANY($1::uuid[])`,
      [this.users],
    );
    return { ...rows[0], queued: await this.queued() };
  }

  /**
   * Waits until the run's work is done: no order pending (the sweep has run) or paid but not
   * fulfilled, the outbox relayed, the queue empty. Resolves with what is left after timeoutMs.
   */
  async settle(timeoutMs: number): Promise<Backlog> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    for (;;) {
      const b = await this.backlog().catch(() => undefined);
      const left = b ? b.pending + b.paid + b.unpublished + b.queued : 1;
      quiet = left === 0 ? quiet + 1 : 0;
      if ((b && quiet >= 2) || (b && Date.now() > deadline)) return b;
      if (Date.now() > deadline + 30_000) throw new Error('the database did not answer while settling');
      await sleep(500);
    }
  }

  async facts(answers: Answer[], gateway: string, tokens: string[]): Promise<Facts> {
    const parked = await this.parkedSql();
    const count = (table: string, where = '') => `(SELECT count(*) FROM ${table} t WHERE t.order_id = o.id ${where})::int`;
    const orders = await this.db.query<OrderFacts>(
      `SELECT o.id, (extract(epoch FROM o.created_at) * 1000)::float8 AS "createdAt", o.status,
              ${count('fulfilment.shipments')} AS shipments, ${count('fulfilment.notifications')} AS notifications,
              ${count('fulfilment.processed_messages')} AS processed,
              ${count('payment.charges', `AND t.status = 'succeeded'`)} AS "keptCharges"
         FROM orders.orders o WHERE o.user_id = ANY($1::uuid[])`,
      [this.users],
    );
    const dead = await this.deadLettered();
    const events = await this.db.query<Omit<EventFacts, 'deadLettered'>>(
      `SELECT x.id, x.aggregate_id AS "orderId", x.published_at IS NOT NULL AS published, (${parked}) AS parked,
              EXISTS (SELECT 1 FROM fulfilment.processed_messages p WHERE p.event_id = x.id) AS consumed
         FROM orders.outbox x JOIN orders.orders o ON o.id = x.aggregate_id WHERE o.user_id = ANY($1::uuid[])`,
      [this.users],
    );
    await this.readBack(orders.rows, answers, gateway, tokens);
    return {
      orders: orders.rows,
      events: events.rows.map((e) => ({ ...e, deadLettered: dead.has(e.id) })),
      stock: await this.stock(),
      queued: await this.queued(),
    };
  }

  /** Each order answered 201, as its owner sees it through the gateway. */
  private async readBack(orders: OrderFacts[], answers: Answer[], gateway: string, tokens: string[]): Promise<void> {
    const byId = new Map(orders.map((o) => [o.id, o]));
    const todo = answers.filter((a) => a.status === 201 && a.orderId && byId.has(a.orderId) && a.user !== undefined);
    const next = async (): Promise<void> => {
      const a = todo.pop();
      if (!a) return;
      const res = await fetch(`${gateway}/api/orders/${a.orderId}`, { headers: { authorization: `Bearer ${tokens[a.user!]}` } });
      byId.get(a.orderId!)!.apiStatus = res.ok ? ((await res.json()) as { status: string }).status : `HTTP ${res.status}`;
      return next();
    };
    await Promise.all(Array.from({ length: 8 }, next));
  }

  private async management(path: string, init: RequestInit = {}): Promise<unknown> {
    const auth = Buffer.from(`${this.rabbit.user}:${this.rabbit.password}`).toString('base64');
    const res = await fetch(`http://127.0.0.1:${this.rabbit.port}/api/queues/%2F/${path}`, {
      ...init,
      headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
    });
    if (!res.ok) throw new Error(`RabbitMQ management API: ${path} answered ${res.status}`);
    return res.json();
  }

  private queued(): Promise<number> {
    return queuedMessages(this.rabbit.amqpUrl);
  }

  /** The message ids in the dead-letter queue, read without taking them off it. */
  private async deadLettered(): Promise<Set<string>> {
    // The queue's message count is a statistic that lags: ask for more than it could hold.
    const body = JSON.stringify({ count: 100_000, ackmode: 'ack_requeue_true', encoding: 'auto', truncate: 64 });
    const got = (await this.management(`${DLQ}/get`, { method: 'POST', body })) as { properties?: { message_id?: string } }[];
    return new Set(got.map((m) => m.properties?.message_id).filter((id): id is string => Boolean(id)));
  }

  close(): Promise<void> {
    return this.db.end();
  }
}
