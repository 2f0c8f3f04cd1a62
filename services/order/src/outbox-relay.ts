import { context, propagation, ROOT_CONTEXT } from '@opentelemetry/api';
import { type Faults, markFault } from '@tracequest/faults';
import { EXCHANGE } from '@tracequest/messaging';
import { transaction } from '@tracequest/service-kit';
import { ATTR, counter, type Logger, METRIC, withoutPropagation, withSpan } from '@tracequest/telemetry';
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
  /** Attempts before an event the broker keeps refusing is parked, so it stops blocking the rest. */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 10;

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
        const failed = events.flatMap((e, i) => {
          const o = outcomes[i];
          return o.status === 'rejected' ? [{ id: e.id, error: String((o.reason as Error)?.message ?? o.reason) }] : [];
        });
        await this.deps.outbox.markPublished(published, db);
        if (failed.length) {
          const parked = await this.deps.outbox.markFailed(failed, this.deps.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, db);
          this.deps.logger.warn({ err: failed[0].error, failed: failed.length }, 'outbox publish failed, will retry');
          for (const p of parked) {
            counter(METRIC.OUTBOX_PARKED).add(1, { event_type: p.eventType });
            this.deps.logger.error(
              { event_id: p.id, event_type: p.eventType, attempts: p.attempts, err: p.lastError },
              'outbox event parked: publishing failed too often, it waits for a person',
            );
          }
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

/** Message ids the broker returned as unroutable, per channel (its basic.return comes before the confirm). */
const returnedOn = new WeakMap<ConfirmChannel, Set<string>>();

function returned(channel: ConfirmChannel): Set<string> {
  let ids = returnedOn.get(channel);
  if (!ids) {
    const set = new Set<string>();
    channel.on('return', (msg: { properties: { messageId?: string } }) => {
      if (msg.properties.messageId) set.add(msg.properties.messageId);
    });
    returnedOn.set(channel, set);
    ids = set;
  }
  return ids;
}

/**
 * Event types double as routing keys on the topic exchange. Published `mandatory`: an event no
 * queue is bound for comes back, and is not marked published (a confirm alone would say it was).
 */
function publishConfirmed(channel: ConfirmChannel, event: OutboxEvent): Promise<void> {
  const unroutable = returned(channel);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no publish confirm from the broker in time')), CONFIRM_TIMEOUT_MS);
    const content = Buffer.from(JSON.stringify(event.payload));
    const options = { persistent: true, mandatory: true, contentType: 'application/json', messageId: event.id, type: event.eventType };
    channel.publish(EXCHANGE, event.eventType, content, options, (err) => {
      clearTimeout(timer);
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else if (unroutable.delete(event.id)) reject(new Error(`unroutable: no queue is bound for ${event.eventType}`));
      else resolve();
    });
  });
}
