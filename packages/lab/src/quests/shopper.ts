import { randomBytes, randomUUID } from 'node:crypto';
import type { Jaeger } from '../jaeger';

const CARD = { card_number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };

export interface Placed {
  status: number;
  traceId: string;
  body: unknown;
}

/**
 * What a check does on the shop itself, when it needs a fresh request to look at (after a fix, say):
 * a customer of its own (registered for this check, so its orders never show among the learner's)
 * logs in and checks out, with a traceparent of the check's own, marked as synthetic traffic
 * (baggage synthetic_request=true) like the load generator's.
 */
export class Shopper {
  private token?: string;

  constructor(
    readonly gatewayUrl: string,
    private readonly jaeger: Jaeger,
  ) {}

  private async send(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Placed> {
    const traceId = randomBytes(16).toString('hex');
    const res = await fetch(`${this.gatewayUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
        baggage: 'synthetic_request=true',
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch(() => {
      throw new Error(`cannot reach the gateway at ${this.gatewayUrl} (is the shop running?)`);
    });
    return { status: res.status, traceId, body: await res.json().catch(() => undefined) };
  }

  private async logIn(): Promise<void> {
    if (this.token) return;
    const account = { email: `quest-check-${randomBytes(6).toString('hex')}@example.com`, password: randomBytes(18).toString('base64url') };
    const made = await this.send('POST', '/api/auth/register', { ...account, name: 'Quest check' });
    if (made.status !== 201) throw new Error(`the check could not register its customer (${made.status})`);
    const res = await this.send('POST', '/api/auth/login', account);
    this.token = (res.body as { access_token?: string } | undefined)?.access_token;
    if (!this.token) throw new Error(`the check's customer could not log in (${res.status})`);
  }

  /** A checkout of one product with plenty of stock; resolves once the gateway answered. */
  async checkout(card = CARD.card_number, headers?: Record<string, string>): Promise<Placed> {
    await this.logIn();
    const { items } = (await this.send('GET', '/api/products')).body as { items: { id: string; available: number }[] };
    const product = items.find((p) => p.available > 1000);
    if (!product) throw new Error('no product with plenty of stock');
    return this.send(
      'POST',
      '/api/orders',
      { items: [{ product_id: product.id, quantity: 1 }], payment: { ...CARD, card_number: card } },
      headers,
    );
  }

  /**
   * A checkout of a product that does not exist: inventory refuses it (404) and the spans of order
   * and the gateway that called it are in error, with payment never called.
   */
  async checkoutMissingProduct(): Promise<Placed> {
    await this.logIn();
    return this.send('POST', '/api/orders', { items: [{ product_id: randomUUID(), quantity: 1 }], payment: CARD });
  }

  /** Waits until the trace has spans of these services (or times out and returns what is there). */
  async traceOf(traceId: string, services: string[], timeoutMs = 20_000) {
    return this.jaeger.traceWith(traceId, services, { timeoutMs }).catch(() => this.jaeger.trace(traceId));
  }
}
