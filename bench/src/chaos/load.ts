// Checkouts at a fixed arrival rate (open loop: a slow or dead shop does not slow the arrivals),
// every answer recorded with when it was sent. Bounded: at most maxInFlight at once, each timed out.
// Like a careful client, each checkout carries an Idempotency-Key and is tried again with the same
// key when it got no answer or a 5xx: the shop answers the first attempt's outcome, never a second order.
import { randomUUID } from 'node:crypto';
import type { Answer } from './verdicts';

/** Waits before each further attempt of one checkout: 1 s, 2 s, 4 s. */
export const RETRY_DELAYS_MS = [1000, 2000, 4000];
/** Answers worth another attempt with the same key: none came, the shop failed, or the first is still running. */
export const retryable = (status: number, code?: string) =>
  status === 0 || status >= 500 || (status === 409 && code === 'idempotency_key_in_flight');

export interface Checkout {
  /** Which shopper: the index of their token, kept on the answer so the order can be read back as its owner. */
  user: number;
  token: string;
  body: unknown;
}

export interface LoadOptions {
  gateway: string;
  rate: number;
  maxInFlight: number;
  timeoutMs: number;
  /** The i-th checkout: whose token, and what it buys. */
  next: (i: number) => Checkout;
}

export class OpenLoop {
  readonly answers: Answer[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;
  private sent = 0;

  constructor(private readonly opts: LoadOptions) {}

  start(): this {
    const period = 1000 / this.opts.rate;
    const t0 = performance.now();
    const tick = () => {
      // Every arrival that is due goes out, so a late timer does not lower the rate.
      while (t0 + this.sent * period <= performance.now()) this.send(this.opts.next(this.sent++));
      this.timer = setTimeout(tick, Math.max(0, t0 + this.sent * period - performance.now()));
    };
    tick();
    return this;
  }

  /** Stops the arrivals and waits for every checkout in flight to be answered or time out. */
  async stop(): Promise<Answer[]> {
    clearTimeout(this.timer);
    await Promise.allSettled(this.inFlight);
    return this.answers;
  }

  private send(c: Checkout): void {
    const sentAt = Date.now();
    if (this.inFlight.size >= this.opts.maxInFlight) {
      this.answers.push({ sentAt, ms: 0, status: -1, code: 'not_sent', user: c.user });
      return;
    }
    const done = this.checkout(c, sentAt).then((a) => void this.answers.push(a));
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  private async checkout(c: Checkout, sentAt: number): Promise<Answer> {
    const key = randomUUID();
    let answer = await this.attempt(c, key, sentAt);
    let retries = 0;
    while (retryable(answer.status, answer.code) && retries < RETRY_DELAYS_MS.length) {
      await new Promise((r) => setTimeout(r, RETRY_DELAYS_MS[retries++]));
      answer = await this.attempt(c, key, sentAt);
    }
    return { ...answer, retries };
  }

  private async attempt(c: Checkout, key: string, sentAt: number): Promise<Answer> {
    try {
      const res = await fetch(`${this.opts.gateway}/api/orders`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${c.token}`,
          'idempotency-key': key,
          baggage: 'synthetic_request=true',
        },
        body: JSON.stringify(c.body),
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      const body = (await res.json().catch(() => undefined)) as { id?: string; error?: { code?: string } } | undefined;
      const orderId = res.status === 201 ? body?.id : undefined;
      return { sentAt, ms: Date.now() - sentAt, status: res.status, orderId, code: body?.error?.code, user: c.user };
    } catch (err) {
      const code = (err as Error).name === 'TimeoutError' ? 'timeout' : 'no_answer';
      return { sentAt, ms: Date.now() - sentAt, status: 0, code, user: c.user };
    }
  }
}
