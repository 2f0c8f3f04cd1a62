import { Algorithm, hash, verify } from '@node-rs/argon2';
import { AppError } from '@tracequest/service-kit';
import { ATTR, withSpan } from '@tracequest/telemetry';

const OPTIONS = { algorithm: Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export interface HashLimits {
  /** Argon2 runs at once: each holds a thread of libuv's pool (4 by default) and 19 MiB. */
  concurrency: number;
  /** How many more may wait for a turn; past that, 503 at once. */
  queue: number;
}

/**
 * Argon2id hashing and verification, a bounded number at once: a flood of logins waits in a short
 * queue, and beyond it is answered 503 with Retry-After, instead of taking every thread auth has.
 */
export class Passwords {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  // Verified against when the email is unknown, so a miss costs as much time as a wrong password.
  private decoy: Promise<string> | undefined;

  constructor(private readonly limits: HashLimits) {}

  hash(password: string): Promise<string> {
    return this.inTurn(() => hash(password, OPTIONS));
  }

  /** Argon2id verification is deliberately slow: its own span shows where login time goes. */
  verify(passwordHash: string | undefined, password: string): Promise<boolean> {
    return withSpan('auth.verify_password', {}, async (span) => {
      const against = passwordHash ?? (await this.decoyHash());
      const ok = await this.inTurn(() => verify(against, password));
      const matched = ok && passwordHash !== undefined;
      span.setAttribute(ATTR.AUTH_OUTCOME, matched ? 'success' : 'failure');
      return matched;
    });
  }

  private decoyHash(): Promise<string> {
    this.decoy ??= this.hash('decoy-password-for-unknown-users').catch((err) => {
      this.decoy = undefined;
      throw err;
    });
    return this.decoy;
  }

  private async inTurn<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.limits.concurrency) this.running++;
    else if (this.waiting.length < this.limits.queue) await new Promise<void>((turn) => this.waiting.push(turn));
    else throw new AppError(503, 'busy', 'too many logins at once: try again shortly', true, { 'retry-after': '1' });
    try {
      return await fn();
    } finally {
      // The turn passes to the next in line, or is given back.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
