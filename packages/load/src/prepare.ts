// What the k6 scripts' setup() does, natively: one login as the first demo user (or TOKEN), and
// the catalog, with the low-stock products kept out of checkouts.
import type { Definition } from './definition';
import type { Knobs } from './plan';
import type { SetupData } from './requests';

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> | undefined }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined };
}

export async function prepare(def: Definition, knobs: Knobs): Promise<SetupData> {
  const base = String(knobs.BASE_URL);
  let token = String(knobs.TOKEN);
  if (!token) {
    const res = await call(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', baggage: 'synthetic_request=true' },
      body: JSON.stringify(def.data.demoUsers[0]),
    }).catch((err) => {
      throw new Error(`setup: login failed (${err.cause?.code ?? err.cause?.message ?? err.message}); is the shop up at ${base}?`);
    });
    if (res.status !== 200) throw new Error(`setup: login failed with HTTP ${res.status}; is the shop up at ${base}?`);
    token = String(res.body?.access_token);
  }
  const res = await call(`${base}/api/products`, { headers: { baggage: 'synthetic_request=true' } });
  if (res.status !== 200) throw new Error(`setup: GET /api/products answered HTTP ${res.status}`);
  const items = res.body?.items as { id: string; sku: string; available: number }[];
  const plentiful = items.filter((p) => !def.data.lowStockSkus.includes(p.sku) && p.available > def.data.plentifulAbove);
  if (plentiful.length === 0) throw new Error('setup: no product with plenty of stock to buy');
  return { token, productIds: items.map((p) => p.id), plentifulIds: plentiful.map((p) => p.id) };
}
