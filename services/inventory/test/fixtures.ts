import { randomUUID } from 'node:crypto';
import { createPool, migrate } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { loadEnv, request, type Started, startApp, testAuth } from '@tracequest/testkit';
import type { Pool } from 'pg';
import { createApp } from '../src/app';
import { MIGRATIONS, SCHEMA } from '../src/config';
import { ReservationRepository } from '../src/reservation-repository';

export const env = loadEnv();
export const pool: Pool = createPool(env.DATABASE_URL!, SCHEMA);
/** What the expiry sweep needs, over the same pool. */
export const expiry = { pool, reservations: new ReservationRepository(pool) };
export const logger = createLogger('inventory-test', 'silent');
const apps: Started[] = [];
/** Auth's stand-in: its keys, and tokens for order or a shopper. */
export let auth: Awaited<ReturnType<typeof testAuth>> | undefined;
const products: string[] = [];

/** Migrates, then starts the app in-process on a free port with the given reservation TTL. */
export async function startInventory(reservationTtlSeconds = 60): Promise<Started> {
  await migrate(pool, SCHEMA, MIGRATIONS);
  auth ??= await testAuth();
  const app = await startApp(createApp({ pool, logger, reservationTtlSeconds, verifier: auth.verifier() }));
  apps.push(app);
  return app;
}

/** Stops the apps and deletes the test's products, so they never show up in the shop's catalog. */
export async function stopInventory(): Promise<void> {
  await Promise.all(apps.map((a) => a.close()));
  await auth?.close();
  await pool.query(
    'DELETE FROM reservations WHERE id IN (SELECT reservation_id FROM reservation_items WHERE product_id = ANY($1::uuid[]))',
    [products],
  );
  await pool.query('DELETE FROM products WHERE id = ANY($1::uuid[])', [products]);
  await pool.end();
}

export async function createProduct(stock: number, priceCents = 500) {
  const sku = `ZZ-TEST-${randomUUID().slice(0, 8)}`;
  const name = `Test item ${sku}`;
  const { rows } = await pool.query('INSERT INTO products (sku, name, price_cents, stock) VALUES ($1, $2, $3, $4) RETURNING id', [
    sku,
    name,
    priceCents,
    stock,
  ]);
  products.push(rows[0].id);
  return { id: rows[0].id as string, sku, name };
}

export const stockOf = async (productId: string): Promise<number> =>
  (await pool.query('SELECT stock FROM products WHERE id = $1', [productId])).rows[0].stock;

export const statusOf = async (reservationId: string): Promise<string> =>
  (await pool.query('SELECT status FROM reservations WHERE id = $1', [reservationId])).rows[0].status;

export const reservationsOf = async (orderId: string): Promise<{ id: string; status: string }[]> =>
  (await pool.query('SELECT id, status FROM reservations WHERE order_id = $1', [orderId])).rows;

export const reserve = (base: string, items: { product_id: string; quantity: number }[], orderId: string = randomUUID()) =>
  call(base, 'POST', '/reservations', { body: { order_id: orderId, items } });

/** A request to inventory as order (with order's service token unless one is given). */
export const call = async (base: string, method: string, path: string, opts: Parameters<typeof request>[3] = {}) =>
  request(base, method, path, { ...opts, token: opts.token ?? (await auth!.signService('order')) });
