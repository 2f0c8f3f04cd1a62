import { AppError } from '@tracequest/service-kit';

export interface ThrottleLimits {
  perAccount: number;
  perClient: number;
  windowMs: number;
}

interface Window {
  failures: number;
  endsAt: number;
}

/** Windows kept at most; past it the oldest go first, so a flood of made-up emails cannot grow memory. */
const MAX_WINDOWS = 100_000;

/**
 * Counts failed logins per account and per client address, each in a fixed window. Once either has
 * used up its failures, logins are refused with 429 until the window ends, before any password is
 * checked. Every attempt counts as failed from the moment it starts, so guesses sent all at once
 * cannot get past the limit while the first ones are still hashing; a successful login gives its
 * attempt back and clears its account's count.
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now = Date.now,
  ) {}

  /**
   * Starts an attempt: throws 429 too_many_attempts (with Retry-After in seconds) when the account
   * or the client is over its limit, else counts it as failed until it is known to have succeeded.
   */
  attempt(account: string, client: string): void {
    const waitMs = Math.max(
      this.blockedFor(`account:${account}`, this.limits.perAccount),
      this.blockedFor(`client:${client}`, this.limits.perClient),
    );
    if (waitMs > 0)
      throw new AppError(429, 'too_many_attempts', 'too many failed logins: try again later', false, {
        'retry-after': String(Math.ceil(waitMs / 1000)),
      });
    this.count(`account:${account}`);
    this.count(`client:${client}`);
  }

  /** The attempt was not a guess after all (the hash could not run, say): it does not count. */
  refund(account: string, client: string): void {
    this.uncount(`account:${account}`);
    this.uncount(`client:${client}`);
  }

  succeeded(account: string, client: string): void {
    this.windows.delete(`account:${account}`);
    this.uncount(`client:${client}`);
  }

  private uncount(key: string): void {
    const w = this.live(key);
    if (w && w.failures > 0) w.failures--;
  }

  private blockedFor(key: string, max: number): number {
    const w = this.live(key);
    return w && w.failures >= max ? w.endsAt - this.now() : 0;
  }

  private live(key: string): Window | undefined {
    const w = this.windows.get(key);
    if (w && w.endsAt <= this.now()) this.windows.delete(key);
    else return w;
  }

  private count(key: string): void {
    const w = this.live(key);
    if (w) {
      w.failures++;
      return;
    }
    for (const oldest of this.windows.keys()) {
      if (this.windows.size < MAX_WINDOWS) break;
      this.windows.delete(oldest);
    }
    this.windows.set(key, { failures: 1, endsAt: this.now() + this.limits.windowMs });
  }
}
