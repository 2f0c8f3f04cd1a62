// The run's own shoppers and products, so what it audits is only what it did: shoppers signed up
// through the gateway (each with its token), products inserted with a known stock, removed after.
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { RunProduct } from './audit';
import type { Checkout } from './load';

export interface Shoppers {
  ids: string[];
  tokens: string[];
}

const PASSWORD = 'chaos-shopper-password-1';
const CARD = { card_number: '4242424242424242', exp_month: 12, exp_year: 2030, cvc: '123' };

async function post(url: string, body: unknown): Promise<{ status: number; body: Record<string, string> }> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, string> };
}

export async function signUp(gateway: string, count: number): Promise<Shoppers> {
  const out: Shoppers = { ids: [], tokens: [] };
  for (let i = 0; i < count; i++) {
    const email = `chaos-${randomUUID().slice(0, 12)}@example.com`;
    const reg = await post(`${gateway}/api/auth/register`, { email, password: PASSWORD, name: `Chaos Shopper ${i + 1}` });
    if (reg.status !== 201) throw new Error(`register failed: HTTP ${reg.status}`);
    const login = await post(`${gateway}/api/auth/login`, { email, password: PASSWORD });
    if (login.status !== 200) throw new Error(`login failed: HTTP ${login.status}`);
    out.ids.push(reg.body.id);
    out.tokens.push(login.body.access_token);
  }
  return out;
}

/** Plenty of stock on most products, and one that sells out during the run (its 409s are honest answers). */
export async function stockShelves(db: Pool, plenty: number, scarce: number): Promise<RunProduct[]> {
  const tag = randomUUID().slice(0, 6).toUpperCase();
  const wanted = [
    { sku: `CHAOS-${tag}-A`, initial: plenty },
    { sku: `CHAOS-${tag}-B`, initial: plenty },
    { sku: `CHAOS-${tag}-C`, initial: plenty },
    { sku: `CHAOS-${tag}-SCARCE`, initial: scarce },
  ];
  const out: RunProduct[] = [];
  for (const p of wanted) {
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO inventory.products (sku, name, price_cents, currency, stock) VALUES ($1, 'Chaos run lamp', 1999, 'USD', $2) RETURNING id`,
      [p.sku, p.initial],
    );
    out.push({ ...p, id: rows[0].id });
  }
  return out;
}

/** The i-th checkout: shoppers in turn, one item, the scarce product one time in ten. */
export function checkoutOf(shoppers: Shoppers, products: RunProduct[]): (i: number) => Checkout {
  const plenty = products.slice(0, -1);
  const scarce = products[products.length - 1];
  return (i) => {
    const user = i % shoppers.tokens.length;
    const product = i % 10 === 9 ? scarce : plenty[i % plenty.length];
    return { user, token: shoppers.tokens[user], body: { items: [{ product_id: product.id, quantity: 1 }], payment: CARD } };
  };
}

/** The run's products leave the catalog (their reservations first: they reference them). */
export async function clearShelves(db: Pool, products: RunProduct[]): Promise<void> {
  const ids = products.map((p) => p.id);
  await db.query(
    'DELETE FROM inventory.reservations WHERE id IN (SELECT reservation_id FROM inventory.reservation_items WHERE product_id = ANY($1::uuid[]))',
    [ids],
  );
  await db.query('DELETE FROM inventory.products WHERE id = ANY($1::uuid[])', [ids]);
}
