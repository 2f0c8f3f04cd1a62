import type { WarehouseNotice } from '@tracequest/contracts';
import type { Logger } from '@tracequest/telemetry';
import type { InventoryClient } from './inventory-client';

/**
 * Tells the warehouse about every paid order, in batches: a notice waits in memory and a timer
 * sends what has gathered a few times a second, so no checkout waits for the warehouse.
 */
export class WarehouseNotices {
  private queue: WarehouseNotice[] = [];
  private timer?: NodeJS.Timeout;
  private sending: Promise<void> = Promise.resolve();

  constructor(
    private readonly inventory: InventoryClient,
    private readonly logger: Logger,
    private readonly everyMs = 200,
  ) {}

  start(): this {
    this.timer = setInterval(() => {
      this.sending = this.sending.then(() => this.flush());
    }, this.everyMs);
    this.timer.unref();
    return this;
  }

  add(notice: WarehouseNotice): void {
    this.queue.push(notice);
  }

  private async flush(): Promise<void> {
    for (const notice of this.queue.splice(0)) {
      try {
        await this.inventory.notify(notice);
      } catch (err) {
        this.logger.warn({ err: (err as Error).message, order_id: notice.order_id }, 'warehouse notice not delivered');
      }
    }
  }

  /** Sends what is waiting, then stops. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sending;
    await this.flush();
  }
}
