import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { JWKS_PATH } from '@tracequest/contracts';
import { TokenVerifier } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { isErrorBody, request, type Started, startApp, testSigningKey } from '@tracequest/testkit';
import express from 'express';
import { createApp } from '../src/app';
import { createClients } from '../src/clients';

// Stand-ins for auth, inventory and order that record what the gateway sends them.
const USER_ID = randomUUID();
// Auth's key: the gateway fetches its JWKS from the fake auth and verifies tokens signed with it.
let key: Awaited<ReturnType<typeof testSigningKey>>;
let GOOD_TOKEN: string;
const calls: { service: string; method: string; path: string; headers: Record<string, unknown>; body: unknown }[] = [];

function fake(service: string, handle: (req: express.Request, res: express.Response) => void) {
  const app = express();
  app.use(express.json());
  app.use((req, res) => {
    calls.push({ service, method: req.method, path: req.path, headers: req.headers, body: req.body });
    handle(req, res);
  });
  return startApp(app);
}

let auth: Started, inventory: Started, order: Started, gateway: Started;

before(async () => {
  key = await testSigningKey();
  GOOD_TOKEN = await key.sign(USER_ID);
  auth = await fake('auth', (req, res) => {
    if (req.path === JWKS_PATH) return void res.json(key.jwks);
    if (req.path === '/login' && req.body.password === 'throttled')
      return void res
        .set('retry-after', '42')
        .status(429)
        .json({ error: { code: 'too_many_attempts', message: 'later' } });
    if (req.path === '/login') return void res.status(401).json({ error: { code: 'invalid_credentials', message: 'no' } });
    res.status(201).json({ id: USER_ID, email: req.body.email, name: req.body.name });
  });
  inventory = await fake('inventory', (_req, res) => void res.json({ items: [] }));
  order = await fake('order', (req, res) => {
    if (req.method === 'POST') return void res.status(409).json({ error: { code: 'out_of_stock', message: 'TQ-001 is out of stock' } });
    res.json({ items: [] });
  });
  const clients = createClients({
    AUTH_URL: auth.url,
    INVENTORY_URL: inventory.url,
    ORDER_URL: order.url,
    UPSTREAM_TIMEOUT_MS: 2000,
  });
  gateway = await startApp(createApp({ clients, verifier: new TokenVerifier(auth.url), logger: createLogger('gateway-test', 'silent') }));
});
after(async () => {
  for (const s of [gateway, auth, inventory, order]) await s.close();
});
beforeEach(() => void calls.splice(0));

describe('public routes', () => {
  it('when registering, then the body is relayed to auth and its 201 comes back with a request id', async () => {
    const res = await request(gateway.url, 'POST', '/api/auth/register', { body: { email: 'a@b.co', password: 'long-enough', name: 'A' } });
    assert.equal(res.status, 201);
    assert.equal(res.body.id, USER_ID);
    assert.match(res.headers.get('x-request-id')!, /^[0-9a-f-]{36}$/);
    assert.equal(calls[0].path, '/register');
    assert.equal(calls[0].headers['x-request-id'], res.headers.get('x-request-id'));
  });

  it('when a downstream 4xx comes back, then the gateway keeps its status and error code', async () => {
    const res = await request(gateway.url, 'POST', '/api/auth/login', { body: { email: 'a@b.co', password: 'x' } });
    assert.equal(res.status, 401);
    assert.ok(isErrorBody(res.body, 'invalid_credentials'));
  });

  it('when auth throttles a login, then its 429 and Retry-After come back, and auth saw the socket address, not the one the client claimed', async () => {
    const res = await request(gateway.url, 'POST', '/api/auth/login', {
      body: { email: 'a@b.co', password: 'throttled' },
      headers: { 'x-forwarded-for': '203.0.113.9, 10.0.0.1' },
    });
    assert.equal(res.status, 429);
    assert.ok(isErrorBody(res.body, 'too_many_attempts'));
    assert.equal(res.headers.get('retry-after'), '42');
    assert.match(String(calls[0].headers['x-forwarded-for']), /^(::ffff:)?127\.0\.0\.1$/);
  });

  it('when a caller sends a well-formed request id, then it is kept; a malformed one is replaced', async () => {
    const kept = await request(gateway.url, 'GET', '/api/products', { headers: { 'x-request-id': 'k6-run.42' } });
    assert.equal(kept.headers.get('x-request-id'), 'k6-run.42');
    const replaced = await request(gateway.url, 'GET', '/api/products', { headers: { 'x-request-id': 'bad id with spaces' } });
    assert.notEqual(replaced.headers.get('x-request-id'), 'bad id with spaces');
  });

  it('when a product id is not a uuid, then 404 without calling inventory', async () => {
    const res = await request(gateway.url, 'GET', '/api/products/not-a-uuid');
    assert.equal(res.status, 404);
    assert.ok(isErrorBody(res.body, 'not_found'));
    assert.equal(calls.length, 0);
  });

  it('when the body is malformed JSON, then 400 invalid_json and nothing is relayed', async () => {
    const res = await request(gateway.url, 'POST', '/api/auth/register', { raw: '{"email":' });
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_json'));
    assert.ok(res.headers.get('x-request-id'));
    assert.equal(calls.length, 0);
  });

  it('when a path is called with a method it does not serve, then 405 JSON with Allow; OPTIONS says the same with 204; an unknown path stays 404', async () => {
    const wrong = await request(gateway.url, 'DELETE', '/api/products');
    assert.equal(wrong.status, 405);
    assert.ok(isErrorBody(wrong.body, 'method_not_allowed'));
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD, OPTIONS');
    const put = await request(gateway.url, 'PUT', `/api/orders/${randomUUID()}`, { body: {} });
    assert.equal(put.status, 405);
    assert.equal(put.headers.get('allow'), 'GET, HEAD, OPTIONS');
    const options = await request(gateway.url, 'OPTIONS', '/api/orders');
    assert.equal(options.status, 204);
    assert.equal(options.headers.get('allow'), 'GET, HEAD, OPTIONS, POST');
    const unknown = await request(gateway.url, 'OPTIONS', '/api/nope');
    assert.equal(unknown.status, 404);
    assert.ok(isErrorBody(unknown.body, 'route_not_found'));
    assert.equal(calls.length, 0);
  });
});

describe('authenticated routes', () => {
  const routes = [
    ['POST', '/api/orders'],
    ['GET', '/api/orders'],
    ['GET', `/api/orders/${randomUUID()}`],
  ] as const;
  for (const [method, path] of routes) {
    for (const [label, headers] of [
      ['no token', {}],
      ['a malformed header', { authorization: 'Token abc' }],
      ['a garbage token', { authorization: 'Bearer forged.token.value' }],
    ] as const) {
      it(`when ${method} ${path.replace(/[0-9a-f-]{36}/, ':id')} has ${label}, then 401 and the order service is never called`, async () => {
        const res = await request(gateway.url, method, path, { headers, body: method === 'POST' ? { items: [] } : undefined });
        assert.equal(res.status, 401);
        assert.ok(isErrorBody(res.body));
        assert.ok(!calls.some((c) => c.service === 'order'));
      });
    }
  }

  it("when a token is expired, signed by another key, for another audience, or a service's, then 401 or 403", async () => {
    const stranger = await testSigningKey();
    const service = await request(gateway.url, 'GET', '/api/orders', { token: await key.signService('worker') });
    assert.equal(service.status, 403, 'a service token is not a shopper');
    for (const token of [
      await key.sign(USER_ID, { expiresIn: '-1m' }),
      await stranger.sign(USER_ID),
      await key.sign(USER_ID, { audience: 'someone-else' }),
      await key.sign(USER_ID, { issuer: 'someone-else' }),
    ]) {
      const res = await request(gateway.url, 'GET', '/api/orders', { token });
      assert.equal(res.status, 401);
      assert.ok(isErrorBody(res.body, 'invalid_token'));
    }
    assert.ok(!calls.some((c) => c.service === 'order'));
  });

  it('when many requests carry tokens, then the keys are fetched from auth once and verified locally', async () => {
    const fresh = await startApp(
      createApp({
        clients: createClients({ AUTH_URL: auth.url, INVENTORY_URL: inventory.url, ORDER_URL: order.url, UPSTREAM_TIMEOUT_MS: 2000 }),
        verifier: new TokenVerifier(auth.url),
        logger: createLogger('gateway-test', 'silent'),
      }),
    );
    try {
      for (let i = 0; i < 5; i++) assert.equal((await request(fresh.url, 'GET', '/api/orders', { token: GOOD_TOKEN })).status, 200);
      assert.deepEqual(
        calls.filter((c) => c.service === 'auth').map((c) => c.path),
        [JWKS_PATH],
      );
    } finally {
      await fresh.close();
    }
  });

  it("when the token is valid, then the order service gets the user's own token to verify (no identity header), the request id and Idempotency-Key", async () => {
    const res = await request(gateway.url, 'POST', '/api/orders', {
      token: GOOD_TOKEN,
      headers: { 'x-user-id': randomUUID(), 'idempotency-key': 'checkout-1' },
      body: { items: [{ product_id: randomUUID(), quantity: 1 }] },
    });
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'out_of_stock'));
    const call = calls.find((c) => c.service === 'order')!;
    assert.equal(call.headers.authorization, `Bearer ${GOOD_TOKEN}`);
    assert.equal(call.headers['x-user-id'], undefined, "a client's identity header never travels on");
    assert.equal(call.headers['x-request-id'], res.headers.get('x-request-id'));
    assert.equal(call.headers['idempotency-key'], 'checkout-1');
    assert.deepEqual(call.body, { items: [{ product_id: (call.body as any).items[0].product_id, quantity: 1 }] });
  });

  it('when a downstream service is down, then 503 upstream_unavailable, not a crash', async () => {
    const clients = createClients({
      AUTH_URL: 'http://127.0.0.1:9',
      INVENTORY_URL: inventory.url,
      ORDER_URL: order.url,
      UPSTREAM_TIMEOUT_MS: 500,
    });
    const lonely = await startApp(
      createApp({ clients, verifier: new TokenVerifier('http://127.0.0.1:9'), logger: createLogger('gateway-test', 'silent') }),
    );
    try {
      const res = await request(lonely.url, 'GET', '/api/orders', { token: GOOD_TOKEN });
      assert.equal(res.status, 503);
      assert.ok(isErrorBody(res.body, 'upstream_unavailable'));
      assert.equal((await request(lonely.url, 'GET', '/readyz')).status, 503);
    } finally {
      await lonely.close();
    }
  });
});
