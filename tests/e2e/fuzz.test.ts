// Thousands of generated requests against the real shop: every public route of the gateway, and the
// routes of auth, inventory and order it fronts, called directly. None may answer 5xx, every refusal
// is the one JSON error shape, no service may go down, and nothing may be written.
import assert from 'node:assert/strict';
import http from 'node:http';
import { describe, it } from 'node:test';
import { isErrorBody } from '@tracequest/testkit';
import { type FuzzRequest, fuzzRequest, type Known, Rng } from '../src/fuzz-inputs';
import { useStack } from '../src/harness';
import { Shop } from '../src/shop';

const h = useStack();
const REQUESTS = 5000;
const CONCURRENCY = 16;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** What could be written: rows of every table a request could add to, and the stock. */
const WRITES = {
  users: 'SELECT count(*)::text AS n FROM auth.users',
  orders: 'SELECT count(*)::text AS n FROM orders.orders',
  order_items: 'SELECT count(*)::text AS n FROM orders.order_items',
  outbox: 'SELECT count(*)::text AS n FROM orders.outbox',
  charges: 'SELECT count(*)::text AS n FROM payment.charges',
  reservations: 'SELECT count(*)::text AS n FROM inventory.reservations',
  stock: 'SELECT sum(stock)::text AS n FROM inventory.products',
};
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(WRITES)) out[name] = (await h.db.query(sql)).rows[0].n;
  return out;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

/** One raw request: the path goes out exactly as generated (fetch would normalise it). */
function send(base: string, req: FuzzRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = req.body === undefined ? undefined : Buffer.from(req.body);
    const headers = { ...req.headers, ...(body ? { 'content-length': String(body.length) } : {}) };
    const r = http.request(`${base}${req.path}`, { method: req.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}

/** The same request to the service behind the gateway: its own path, and the user id instead of a token. */
function behind(req: FuzzRequest, userId: string, rng: Rng): { base: string; req: FuzzRequest } | undefined {
  const { urls } = h.stack;
  const to = (base: string, path: string) => {
    const { authorization, ...headers } = req.headers;
    if (authorization) headers['x-user-id'] = rng.pick([userId, userId.toUpperCase(), 'not-a-uuid', '']);
    return { base, req: { ...req, path, headers } };
  };
  if (req.path.startsWith('/api/auth/')) return to(urls.auth, req.path.slice('/api/auth'.length));
  if (req.path.startsWith('/api/products')) return to(urls.inventory, req.path.slice('/api'.length));
  if (req.path.startsWith('/api/orders')) return to(urls.order, req.path.slice('/api'.length));
}

describe('fuzzing the public API', () => {
  it(`when ${REQUESTS} malformed requests hit the gateway and the services behind it, then no 5xx, every refusal is a JSON error, nothing is written and every service stays up`, async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = await shop.plentiful();
    const userId = (await h.db.query('SELECT id FROM auth.users WHERE email = $1', [shop.email])).rows[0].id;
    const known: Known = { token: shop.token!, productId: product.id, email: shop.email };
    const pids = h.stack.pids();
    const before = await snapshot();
    const rng = new Rng(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;
    const started = Date.now();
    const worker = async () => {
      while (sent < REQUESTS) {
        sent++;
        const generated = fuzzRequest(rng, known);
        const target = rng.chance(0.3) ? behind(generated, userId, rng) : undefined;
        const [base, req] = target ? [target.base, target.req] : [h.gateway, generated];
        const res = await send(base, req);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        let json: unknown;
        try {
          json = JSON.parse(res.body);
        } catch {
          json = undefined;
        }
        const refusedWell = res.status < 400 || (res.status < 500 && isErrorBody(json));
        if (!refusedWell || res.status >= 500)
          failures.push(
            `${req.method} ${base}${req.path.slice(0, 120)} ${JSON.stringify(req.headers).slice(0, 200)} ${req.body?.slice(0, 200)} → ${res.status} ${res.body.slice(0, 200)}`,
          );
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `fuzzed ${sent} requests in ${seconds.toFixed(1)} s (seed ${SEED}; FUZZ_SEED=${SEED} replays them): statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
    );
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} bad answers (seed ${SEED})`);
    assert.ok(sent >= REQUESTS);
    assert.deepEqual(await snapshot(), before, 'nothing was written');
    assert.deepEqual(h.stack.pids(), pids, 'no service restarted or died');
    for (const [service, url] of Object.entries(h.stack.urls).filter(([s]) =>
      ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker'].includes(s),
    ))
      assert.equal((await fetch(`${url}/readyz`)).status, 200, `${service} is ready`);
  });
});
