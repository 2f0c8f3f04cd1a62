import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { type Faults, markFault } from '@tracequest/faults';
import { EXCHANGE } from '@tracequest/messaging';
import { transaction } from '@tracequest/service-kit';
import { ATTR, type Logger, withoutPropagation, withSpan } from '@tracequest/telemetry';
import type { ConfirmChannel } from 'amqplib';
import type { Pool } from 'pg';
import type { OutboxEvent, OutboxRepository } from './outbox-repository';

const BATCH_SIZE = 50;
const CONFIRM_TIMEOUT_MS = 10_000;

export interface RelayDeps {
  pool: Pool;
  outbox: OutboxRepository;
  /** The confirm channel when the broker is reachable, undefined while it is not. */
  channel: () => ConfirmChannel | undefined;
  logger: Logger;
  intervalMs: number;
  faults?: Faults;
}

/**
 * Publishes outbox rows to RabbitMQ. Rows are locked while they are published, so two relays never
 * send the same row; a row is marked published only after the broker confirms it (at least once).
 * Polling runs outside any span: with no parent the pg instrumentation records nothing, and the
 * relay adds no trace of its own except for the events it actually publishes.
 */
export class OutboxRelay {
  private timer?: NodeJS.Timeout;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: RelayDeps) {}

  start(): this {
    this.schedule();
    return this;
  }

  /** Stops polling and waits for the batch in flight to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs = this.deps.intervalMs): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const batch = this.poll();
      this.running = batch;
      // A full batch means more is waiting: poll again at once instead of after the interval.
      void batch.then((n) => this.schedule(n === BATCH_SIZE ? 0 : undefined));
    }, delayMs);
  }

  /**
   * Publishes one batch: every event is sent, the broker's confirms are awaited together, and the
   * confirmed ones are marked published in one statement. Returns how many were published.
   */
  async poll(): Promise<number> {
    const channel = this.deps.channel();
    if (!channel) return 0;
    try {
      return await transaction(this.deps.pool, async (db) => {
        const events = await this.deps.outbox.claim(BATCH_SIZE, db);
        if (!events.length) return 0;
        const outcomes = await Promise.allSettled(events.map((event) => this.publish(channel, event)));
        const published = events.filter((_, i) => outcomes[i].status === 'fulfilled').map((e) => e.id);
        const failed = events.filter((_, i) => outcomes[i].status === 'rejected');
        await this.deps.outbox.markPublished(published, db);
        if (failed.length) {
          await this.deps.outbox.markFailed(
            failed.map((e) => e.id),
            db,
          );
          const reason = (outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult).reason as Error;
          this.deps.logger.warn({ err: reason.message, failed: failed.length }, 'outbox publish failed, will retry');
        }
        return published.length;
      });
    } catch (err) {
      this.deps.logger.error({ err }, 'outbox poll failed');
      return 0;
    }
  }

  /** Publishes inside the context stored with the event, so the publish joins the checkout's trace. */
  private publish(channel: ConfirmChannel, event: OutboxEvent): Promise<void> {
    const parent = propagation.extract(ROOT_CONTEXT, event.traceContext);
    const attributes = { [ATTR.OUTBOX_EVENT_ID]: event.id, [ATTR.ORDER_ID]: event.aggregateId };
    return context.with(parent, () =>
      withSpan('outbox.relay', attributes, async () => {
        if (!(await this.deps.faults?.dropsContextTo('worker'))) return publishConfirmed(channel, event);
        markFault('broken_propagation', { 'fault.hop': 'order->worker' });
        return withoutPropagation(() => publishConfirmed(channel, event));
      }),
    );
  }
}

/** Event types double as routing keys on the topic exchange. */
function publishConfirmed(channel: ConfirmChannel, event: OutboxEvent): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no publish confirm from the broker in time')), CONFIRM_TIMEOUT_MS);
    const content = Buffer.from(JSON.stringify(event.payload));
    const options = { persistent: true, contentType: 'application/json', messageId: event.id, type: event.eventType };
    channel.publish(EXCHANGE, event.eventType, content, options, (err) => {
      clearTimeout(timer);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve();
    });
  });
}
