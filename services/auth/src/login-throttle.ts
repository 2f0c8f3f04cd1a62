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
 * checked. A successful login clears its account's count.
 */
export class LoginThrottle {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly limits: ThrottleLimits,
    private readonly now = Date.now,
  ) {}

  /** Throws 429 too_many_attempts (with Retry-After in seconds) when the account or the client is over its limit. */
  check(account: string, client: string): void {
    const waitMs = Math.max(
      this.blockedFor(`account:${account}`, this.limits.perAccount),
      this.blockedFor(`client:${client}`, this.limits.perClient),
    );
    if (waitMs > 0)
      throw new AppError(429, 'too_many_attempts', 'too many failed logins: try again later', false, {
        'retry-after': String(Math.ceil(waitMs / 1000)),
      });
  }

  failed(account: string, client: string): void {
    this.count(`account:${account}`);
    this.count(`client:${client}`);
  }

  succeeded(account: string): void {
    this.windows.delete(`account:${account}`);
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
