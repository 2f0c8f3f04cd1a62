import { randomUUID } from 'node:crypto';
import type { Card } from '@tracequest/contracts';
import { createPool, migrate } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { loadEnv, request, type Started, startApp, testAuth } from '@tracequest/testkit';
import { createApp } from '../src/app';
import { MIGRATIONS, SCHEMA } from '../src/config';
import { SimulatedProvider } from '../src/provider';

export const env = loadEnv();
/** Short, so a test can leave a claim to go stale. */
export const STALE_AFTER_MS = 1000;
export const pool = createPool(env.DATABASE_URL!, SCHEMA);
let app: Started | undefined;
/** Auth's stand-in: its keys, and tokens for order (the caller payment serves) or a shopper. */
export let auth: Awaited<ReturnType<typeof testAuth>>;

// The provider as a spy: a test can tell how many times the card network was really called.
// A test may also hold the provider's answer back until it opens the gate.
export const providerCalls: Card[] = [];
const simulated = new SimulatedProvider(50);
let gate: Promise<void> | undefined;
const provider = {
  async charge(card: Card) {
    providerCalls.push(card);
    await gate;
    return simulated.charge(card);
  },
};

/** Holds every provider answer until the returned function is called. */
export function holdProvider(): () => void {
  let open!: () => void;
  gate = new Promise((resolve) => (open = resolve));
  return () => {
    gate = undefined;
    open();
  };
}

/** Migrates, then starts the app in-process on a free port with the spying provider. */
export async function startPayment(): Promise<Started> {
  await migrate(pool, SCHEMA, MIGRATIONS);
  auth = await testAuth();
  app = await startApp(
    createApp({ pool, provider, logger: createLogger('payment-test', 'silent'), staleAfterMs: STALE_AFTER_MS, verifier: auth.verifier() }),
  );
  return app;
}

export async function stopPayment(): Promise<void> {
  await app?.close();
  await auth?.close();
  await pool.end();
}

export const CARD = { SUCCEEDS: '4242424242424242', DECLINED: '4000000000000002', FAILS: '4000000000000119' };
const nextYear = new Date().getUTCFullYear() + 1;

/** A valid charge request for a new order, with fields of the request or of its card overridden. */
export const body = (over: Record<string, unknown> = {}, card: Record<string, unknown> = {}) => ({
  order_id: randomUUID(),
  amount_cents: 2599,
  currency: 'USD',
  card: { card_number: CARD.SUCCEEDS, exp_month: 12, exp_year: nextYear, cvc: '123', ...card },
  ...over,
});

/** POST /charges with a fresh Idempotency-Key; a null key sends no header at all. */
export const charge = async (b: unknown, key: string | null = randomUUID()) =>
  call('POST', '/charges', { body: b, headers: key === null ? {} : { 'idempotency-key': key } });

/** A request to payment as order, the caller it serves (with order's service token unless one is given). */
export const call = async (method: string, path: string, opts: Parameters<typeof request>[3] = {}) =>
  request(app!.url, method, path, { ...opts, token: opts.token ?? (await auth.signService('order')) });

export const rowsFor = async (orderId: string) => (await pool.query('SELECT * FROM charges WHERE order_id = $1', [orderId])).rows;
