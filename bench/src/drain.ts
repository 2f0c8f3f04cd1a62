// Waits until the shop has finished the work a step started: the outbox relayed, the queue
// consumed, every paid order fulfilled. Measured CPU then includes the asynchronous half of each
// checkout, and the next step starts from a quiet shop.
import { Pool } from 'pg';
import { queuedMessages } from './broker';

export class Drain {
  private readonly db: Pool;

  constructor(
    databaseUrl: string,
    private readonly amqpUrl: string,
  ) {
    this.db = new Pool({ connectionString: databaseUrl, max: 1 });
  }

  /** What is still to do: unpublished outbox rows, queued messages, and orders paid since `since` but not fulfilled. */
  private async backlog(since: Date): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM orders.outbox WHERE published_at IS NULL AND created_at >= $1)
            + (SELECT count(*) FROM orders.orders WHERE status = 'paid' AND created_at >= $1) AS n`,
      [since],
    );
    return Number(rows[0].n) + (await queuedMessages(this.amqpUrl));
  }

  /** Resolves once nothing the step started is waiting (checked twice, a beat apart); after timeoutMs, with what is left. */
  async settle(since: Date, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let quiet = 0;
    for (;;) {
      const left = await this.backlog(since);
      quiet = left === 0 ? quiet + 1 : 0;
      if (quiet >= 2) return 0;
      if (Date.now() > deadline) return left;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  close(): Promise<void> {
    return this.db.end();
  }
}
