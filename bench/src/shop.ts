// The few direct calls the benchmark makes: a login for the load runner's token, and one traced checkout whose
// spans it counts in Jaeger.
import { randomBytes } from 'node:crypto';

const DEMO = { email: 'ada@example.com', password: 'ada-lovelace-1815' };
const CARD = { card_number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };
const LOW_STOCK_SKUS = ['TQ-006', 'TQ-007', 'TQ-018'];
// biome-ignore lint/suspicious/noExplicitAny: untyped JSON answers, read field by field
type Json = any;

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Json }> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

export async function logIn(gateway: string): Promise<string> {
  const res = await call(`${gateway}/api/auth/login`, { method: 'POST', body: JSON.stringify(DEMO) });
  if (res.status !== 200) throw new Error(`login failed: HTTP ${res.status}`);
  return res.body.access_token;
}

/** One checkout under a trace id of our own; returns that trace id. */
export async function tracedCheckout(gateway: string, token: string): Promise<string> {
  const { body } = await call(`${gateway}/api/products`);
  const product = body.items.find((p: { sku: string; available: number }) => !LOW_STOCK_SKUS.includes(p.sku) && p.available > 10_000);
  const traceId = randomBytes(16).toString('hex');
  const res = await call(`${gateway}/api/orders`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
      baggage: 'synthetic_request=true',
    },
    body: JSON.stringify({ items: [{ product_id: product.id, quantity: 1 }], payment: CARD }),
  });
  if (res.status !== 201) throw new Error(`checkout failed: HTTP ${res.status} ${JSON.stringify(res.body)}`);
  return traceId;
}

const same = (a: Record<string, number>, b: Record<string, number>) => Object.keys({ ...a, ...b }).every((k) => a[k] === b[k]);

/**
 * Spans of one trace per service, once the worker's part has arrived and the count has stopped
 * growing (spans come in batches from six processes).
 */
export async function spansOfTrace(jaeger: string, traceId: string, timeoutMs = 20_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let last: Record<string, number> = {};
  let stableSince = 0;
  while (Date.now() < deadline) {
    const res = await fetch(`${jaeger}/api/traces/${traceId}`);
    if (res.ok) {
      const t = ((await res.json()) as Json).data?.[0];
      const now: Record<string, number> = {};
      for (const s of t?.spans ?? []) {
        const service = t.processes[s.processID]?.serviceName ?? 'unknown';
        now[service] = (now[service] ?? 0) + 1;
      }
      if (!same(now, last)) {
        last = now;
        stableSince = Date.now();
      } else if (now.worker && Date.now() - stableSince >= 1500) return now;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}
