// The shop's public API as a learner (or the load runner) uses it: register, log in, browse, check out.
import { type JsonResponse, request, uniqueEmail } from '@tracequest/testkit';

export const CARDS = { ok: '4242424242424242', declined: '4000000000000002', providerError: '4000000000000119' } as const;
export const PASSWORD = 'checkout-password-7f3a';
export const CVC = '9731';

export interface Product {
  id: string;
  sku: string;
  name: string;
  price_cents: number;
  currency: string;
  available: number;
}

export class Shop {
  token?: string;
  email = uniqueEmail('shopper');
  /** Trace ids of every response this shopper got (from the traceresponse header). */
  readonly traceIds: string[] = [];

  constructor(readonly url: string) {}

  private async send(method: string, path: string, opts: Parameters<typeof request>[3] = {}): Promise<JsonResponse> {
    const res = await request(this.url, method, path, opts);
    const m = /^00-([0-9a-f]{32})-/.exec(res.headers.get('traceresponse') ?? '');
    if (m) this.traceIds.push(m[1]);
    return res;
  }

  async signUp(): Promise<this> {
    const reg = await this.send('POST', '/api/auth/register', { body: { email: this.email, password: PASSWORD, name: 'Test Shopper' } });
    if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
    const login = await this.send('POST', '/api/auth/login', { body: { email: this.email, password: PASSWORD } });
    if (login.status !== 200) throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
    this.token = login.body.access_token;
    return this;
  }

  async products(): Promise<Product[]> {
    return (await this.send('GET', '/api/products')).body.items;
  }

  /** A product with plenty of stock, so checkouts never run out. */
  async plentiful(): Promise<Product> {
    const p = (await this.products()).find((x) => x.available > 1000);
    if (!p) throw new Error('no product with plenty of stock');
    return p;
  }

  checkout(
    items: { product_id: string; quantity: number }[],
    card: string = CARDS.ok,
    headers?: Record<string, string>,
  ): Promise<JsonResponse> {
    return this.send('POST', '/api/orders', {
      token: this.token,
      headers,
      body: { items, payment: { card_number: card, exp_month: 12, exp_year: 2030, cvc: CVC } },
    });
  }

  order(id: string): Promise<JsonResponse> {
    return this.send('GET', `/api/orders/${id}`, { token: this.token });
  }
}
