// requireCaller: who may call a route, and whose token travels on with the calls made for it.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createLogger } from '@tracequest/telemetry';
import { Router } from 'express';
import { createServiceApp } from '../src/app';
import { requireCaller, type Verifier } from '../src/callers';
import { HttpClient } from '../src/client';
import type { Caller } from '../src/tokens';

const CALLERS: Record<string, Caller> = {
  'user-token': { kind: 'user', id: '8c1e0c3e-0000-4000-8000-000000000001', email: 'a@b.co', exp: 2e9 },
  'worker-token': { kind: 'service', name: 'worker', exp: 2e9 },
  'order-token': { kind: 'service', name: 'order', exp: 2e9 },
};
const verifier: Verifier = { verify: async (t) => CALLERS[t] };

async function listen(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('requireCaller', () => {
  it('when a route serves users and the order service, then others get 401/403; the token travels on; timers use their own', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const downstream = await listen((req, res) => {
      seen.push(req.headers);
      res.setHeader('content-type', 'application/json').end('{}');
    });
    const client = new HttpClient('down', downstream.url, 1000, undefined, { credentials: { token: async () => 'own-service-token' } });
    const routes = Router();
    routes.post('/x', requireCaller(verifier, { users: true, services: ['order'] }), async (_req, res) => {
      await client.call('GET', '/forwarded');
      await client.call('GET', '/as-service', { asService: true });
      res.json({ caller: res.locals.caller.kind });
    });
    const app = await listen(createServiceApp({ logger: createLogger('t', 'silent'), routes }));
    try {
      const post = (headers: Record<string, string>) => fetch(`${app.url}/x`, { method: 'POST', headers });
      assert.equal((await post({})).status, 401);
      assert.equal((await post({ 'x-user-id': CALLERS['user-token'].kind })).status, 401, 'an identity header is no token');
      assert.equal((await post({ authorization: 'Bearer forged' })).status, 401);
      assert.equal((await post({ authorization: 'Bearer worker-token' })).status, 403);
      assert.equal(seen.length, 0, 'nothing refused reached the handler');
      assert.equal((await post({ authorization: 'Bearer user-token' })).status, 200);
      assert.deepEqual(
        seen.map((h) => h.authorization),
        ['Bearer user-token', 'Bearer own-service-token'],
      );
      assert.equal(seen[0]['x-service-token'], 'own-service-token', "relaying a shopper's token, the service says who it is too");
      assert.equal(seen[1]['x-service-token'], undefined);
      seen.splice(0);
      await client.call('GET', '/on-a-timer');
      assert.equal(seen[0].authorization, 'Bearer own-service-token', 'outside a request: the service calls as itself');
    } finally {
      app.server.close();
      downstream.server.close();
    }
  });

  it("when a route takes shoppers only through order, then a shopper's token alone is 403; beside order's token it is served", async () => {
    const routes = Router();
    routes.post('/hold', requireCaller(verifier, { users: true, usersThrough: ['order'], services: ['order'] }), (_req, res) => {
      res.json({ caller: res.locals.caller.kind });
    });
    const app = await listen(createServiceApp({ logger: createLogger('t', 'silent'), routes }));
    try {
      const post = (headers: Record<string, string>) => fetch(`${app.url}/hold`, { method: 'POST', headers });
      const user = { authorization: 'Bearer user-token' };
      assert.equal((await post(user)).status, 403);
      assert.equal((await post({ ...user, 'x-service-token': 'worker-token' })).status, 403);
      const stale = await post({ ...user, 'x-service-token': 'expired' });
      assert.equal(stale.status, 401);
      assert.equal(((await stale.json()) as { error: { code: string } }).error.code, 'invalid_service_token');
      assert.equal((await post({ ...user, 'x-service-token': 'order-token' })).status, 200);
      assert.equal((await post({ authorization: 'Bearer order-token' })).status, 200, 'order itself, as before');
    } finally {
      app.server.close();
    }
  });
});
