import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import type { OrderPaidEvent } from '@tracequest/contracts';
import { AmqpConnection, assertTopology, QUEUE_ORDER_PAID } from '@tracequest/messaging';
import { ATTR, counter, EVENT, type Logger, METRIC } from '@tracequest/telemetry';
import type { ConfirmChannel, ConsumeMessage } from 'amqplib';
import type { Delivery } from './fulfil-order';
import { PoisonMessageError } from './injected-faults';
import { parseOrderPaid } from './order-paid';

/** Which delivery of an event this is; the first has no header. */
export const ATTEMPT_HEADER = 'x-attempt';

export interface ConsumerOptions {
  logger: Logger;
  maxAttempts: number;
  retryDelayMs: number;
  handle: (event: OrderPaidEvent, delivery: Delivery) => Promise<unknown>;
  /**
   * Counts a redelivery of a message (the broker's redelivered flag: a consumer took it and never
   * settled it, say it crashed). Past maxAttempts it is dead-lettered unhandled.
   */
  countRedelivery?: (messageId: string) => Promise<number>;
  /**
   * How long stop() waits for the deliveries in hand (a fault can hold one for a minute). Those
   * still unsettled then are left to the broker, which redelivers them once the channel closes.
   */
  stopTimeoutMs?: number;
}

const STOP_TIMEOUT_MS = 10_000;

/**
 * Consumes order.paid with manual acks. Every delivery is settled exactly once: acked when handled,
 * acked after a copy with x-attempt + 1 is confirmed (a retry), or rejected to the dead-letter queue.
 * Decisions are recorded on the active span: the amqplib instrumentation's process span.
 */
export class OrderPaidConsumer {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly stopping = new AbortController();
  private current?: { channel: ConfirmChannel; tag: string };

  constructor(private readonly opts: ConsumerOptions) {}

  /** Starts consuming on a fresh channel; the connection calls this after every (re)connect. */
  async attach(channel: ConfirmChannel): Promise<void> {
    if (this.stopping.signal.aborted) return;
    const onMessage = (msg: ConsumeMessage | null) => (msg ? this.track(channel, msg) : this.cancelled(channel));
    const { consumerTag } = await channel.consume(QUEUE_ORDER_PAID, onMessage, { noAck: false });
    this.current = { channel, tag: consumerTag };
  }

  /** Takes no new deliveries, cuts retry waits short and waits for the deliveries in hand, up to a limit. */
  async stop(): Promise<void> {
    this.stopping.abort();
    const current = this.current;
    this.current = undefined;
    await current?.channel.cancel(current.tag).catch(() => undefined);
    const limitMs = this.opts.stopTimeoutMs ?? STOP_TIMEOUT_MS;
    const limit = new AbortController();
    const settled = Promise.allSettled(this.inFlight).then(() => true);
    const timedOut = sleep(limitMs, false, { signal: limit.signal }).catch(() => true);
    const allSettled = await Promise.race([settled, timedOut]);
    limit.abort();
    if (!allSettled)
      this.opts.logger.warn(
        { unsettled: this.inFlight.size, limit_ms: limitMs },
        'deliveries still in hand at the stop limit: the broker redelivers them',
      );
  }

  /** The broker cancelled the consumer (say, the queue was deleted): a fresh channel declares it again. */
  private cancelled(channel: ConfirmChannel): void {
    this.opts.logger.warn('consumer cancelled by the broker, reopening the channel');
    void channel.close().catch(() => undefined);
  }

  private track(channel: ConfirmChannel, msg: ConsumeMessage): void {
    const done = this.settle(channel, msg).catch((err) => this.opts.logger.error({ err }, 'delivery handling crashed'));
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private async settle(channel: ConfirmChannel, msg: ConsumeMessage): Promise<void> {
    const attempt = attemptOf(msg);
    const event = parseOrderPaid(msg.content);
    if (!event) return this.deadLetter(channel, msg, 'invalid_message');
    if (msg.fields.redelivered && this.opts.countRedelivery) {
      const redeliveries = await this.opts.countRedelivery(msg.properties.messageId ?? event.event_id);
      if (redeliveries > this.opts.maxAttempts) return this.deadLetter(channel, msg, 'redelivery_limit');
    }
    try {
      const outcome = await this.opts.handle(event, { messageId: msg.properties.messageId ?? event.event_id, attempt });
      this.opts.logger.info({ order_id: event.order_id, event_id: event.event_id, attempt, outcome }, 'order.paid handled');
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message, event_id: event.event_id, attempt }, 'order.paid not handled');
      if (err instanceof PoisonMessageError && err.recognised) {
        this.opts.logger.info({ event_id: event.event_id }, 'fix applied: poison message dead-lettered without retries');
        return this.deadLetter(channel, msg, 'poison');
      }
      if (attempt >= this.opts.maxAttempts) return this.deadLetter(channel, msg, 'max_attempts');
      return this.retry(channel, msg, event, attempt);
    }
    this.safely(() => channel.ack(msg));
  }

  private async retry(channel: ConfirmChannel, msg: ConsumeMessage, event: OrderPaidEvent, attempt: number): Promise<void> {
    // The delivery is held while it waits: the span's time after this event is the wait, not work.
    trace.getActiveSpan()?.addEvent(EVENT.RETRY, {
      [ATTR.DELIVERY_ATTEMPT]: attempt,
      [ATTR.ORDER_ID]: event.order_id,
      [ATTR.RETRY_DELAY_MS]: this.opts.retryDelayMs,
    });
    // On shutdown the wait ends early: the copy goes out now rather than waiting out the delay.
    await sleep(this.opts.retryDelayMs, undefined, { signal: this.stopping.signal }).catch(() => undefined);
    try {
      await republish(channel, msg, attempt + 1);
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message, event_id: event.event_id }, 'retry copy not confirmed, requeueing');
      return this.safely(() => channel.nack(msg, false, true));
    }
    this.safely(() => channel.ack(msg));
  }

  private deadLetter(channel: ConfirmChannel, msg: ConsumeMessage, reason: string): void {
    trace.getActiveSpan()?.addEvent(EVENT.DEAD_LETTERED, { [ATTR.ERROR_TYPE]: reason });
    counter(METRIC.MESSAGES_DEAD_LETTERED).add(1, { reason });
    this.opts.logger.warn({ message_id: msg.properties.messageId, reason }, 'message dead-lettered');
    this.safely(() => channel.nack(msg, false, false));
  }

  /** Settling on a channel that has closed throws; the broker redelivers such messages anyway. */
  private safely(settle: () => void): void {
    try {
      settle();
    } catch (err) {
      this.opts.logger.warn({ err: (err as Error).message }, 'delivery not settled: its channel is gone');
    }
  }
}

function attemptOf(msg: ConsumeMessage): number {
  const n = Number(msg.properties.headers?.[ATTEMPT_HEADER] ?? 1);
  return Number.isInteger(n) && n >= 1 ? n : 1;
}

/** A copy of the message straight to the queue (default exchange), confirmed by the broker. */
function republish(channel: ConfirmChannel, msg: ConsumeMessage, attempt: number): Promise<void> {
  const { messageId, contentType, type, headers } = msg.properties;
  const options = { persistent: true, messageId, contentType, type, headers: { ...headers, [ATTEMPT_HEADER]: attempt } };
  return new Promise((resolve, reject) =>
    channel.sendToQueue(QUEUE_ORDER_PAID, msg.content, options, (err) => (err ? reject(err) : resolve())),
  );
}

/** Connects (and reconnects) to RabbitMQ and consumes on every fresh channel. */
export function startConsumer(opts: ConsumerOptions & { url: string; prefetch: number; name?: string }) {
  const consumer = new OrderPaidConsumer(opts);
  const amqp = new AmqpConnection({
    url: opts.url,
    logger: opts.logger,
    name: opts.name ?? 'worker',
    prefetch: opts.prefetch,
    onReady: async (channel) => {
      await assertTopology(channel);
      await consumer.attach(channel);
    },
  }).start();
  return { amqp, consumer };
}
