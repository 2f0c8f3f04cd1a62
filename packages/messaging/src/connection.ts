import type { Logger } from '@tracequest/telemetry';
import { type ChannelModel, type ConfirmChannel, connect } from 'amqplib';

export interface AmqpConnectionOptions {
  url: string;
  logger: Logger;
  /** Shown in the RabbitMQ management UI, so each service's connection can be told apart. */
  name?: string;
  /** Unacknowledged deliveries the broker may push at once (consumers only). */
  prefetch?: number;
  /** Runs each time a fresh channel is open: declare topology, start consuming. */
  onReady?: (channel: ConfirmChannel) => Promise<void> | void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * One AMQP connection with one confirm channel that comes back by itself after the broker or
 * the network goes away, retrying with capped exponential backoff. Confirms let publishers know
 * the broker has taken a message; consumers are happy on the same kind of channel.
 */
export class AmqpConnection {
  private model?: ChannelModel;
  private ch?: ConfirmChannel;
  private timer?: NodeJS.Timeout;
  private attempt: Promise<void> = Promise.resolve();
  private stopped = false;
  private delayMs: number;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(private readonly opts: AmqpConnectionOptions) {
    this.minDelayMs = opts.minDelayMs ?? 500;
    this.maxDelayMs = opts.maxDelayMs ?? 5000;
    this.delayMs = this.minDelayMs;
  }

  /** Starts connecting in the background; failures are logged and retried, never thrown. */
  start(): this {
    this.attempt = this.open();
    return this;
  }

  isReady(): boolean {
    return this.ch !== undefined;
  }

  channel(): ConfirmChannel | undefined {
    return this.ch;
  }

  /** Stops reconnecting, then closes the channel and the connection. */
  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.attempt;
    const { ch, model } = this;
    this.ch = undefined;
    this.model = undefined;
    await ch?.close().catch(() => undefined);
    await model?.close().catch(() => undefined);
    this.opts.logger.info('amqp connection closed');
  }

  private async open(): Promise<void> {
    const { logger } = this.opts;
    let model: ChannelModel | undefined;
    let lost = false;
    try {
      const clientProperties = this.opts.name ? { connection_name: this.opts.name } : {};
      model = await connect(this.opts.url, { clientProperties });
      const m = model;
      // Without an 'error' listener a broker shutdown would crash the process.
      m.on('error', (err: Error) => logger.warn({ err: err.message }, 'amqp connection error'));
      m.once('close', () => {
        lost = true;
        this.onLost(m);
      });
      const ch = await m.createConfirmChannel();
      ch.on('error', (err: Error) => logger.warn({ err: err.message }, 'amqp channel error'));
      // A channel the broker closed (say, a failed declaration) is recovered with a fresh connection.
      ch.once('close', () => void (this.stopped || m.close().catch(() => undefined)));
      if (this.opts.prefetch) await ch.prefetch(this.opts.prefetch);
      await this.opts.onReady?.(ch);
      if (lost) throw new Error('connection closed while opening');
      if (this.stopped) return void (await m.close().catch(() => undefined));
      this.model = m;
      this.ch = ch;
      this.delayMs = this.minDelayMs;
      logger.info('amqp channel ready');
    } catch (err) {
      logger.warn({ err: (err as Error).message, retry_in_ms: this.delayMs }, 'amqp connect failed');
      void model?.close().catch(() => undefined);
      this.retry();
    }
  }

  private onLost(m: ChannelModel): void {
    // A connection that never became ready is retried by open() itself.
    if (this.model !== m) return;
    this.model = undefined;
    this.ch = undefined;
    if (this.stopped) return;
    this.opts.logger.warn({ retry_in_ms: this.delayMs }, 'amqp connection lost');
    this.retry();
  }

  private retry(): void {
    if (this.stopped || this.timer) return;
    const delay = this.delayMs;
    this.delayMs = Math.min(delay * 2, this.maxDelayMs);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.attempt = this.open();
    }, delay);
  }
}
