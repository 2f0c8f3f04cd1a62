import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAULTS, FaultStore, Faults, SCENARIOS } from '@tracequest/faults';
import { TokenVerifier } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { eventually, isErrorBody, request, type Started, startApp } from '@tracequest/testkit';
import pino from 'pino';
import { createAdminApp } from '../src/admin';
import { createApp } from '../src/app';
import { createClients } from '../src/clients';
import { readConfig } from '../src/config';

const TOKEN = 'test-admin-token-0123456789abcdef0123';
/** What the admin API logs, one parsed JSON line each. */
const logged: Record<string, any>[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });
const file = path.join(mkdtempSync(path.join(tmpdir(), 'faults-')), 'flags.json');
const store = new FaultStore(file).start();
let gw: Started;
let shop: Started;
const admin = (method: string, p: string, body?: unknown, token: string | null = TOKEN) =>
  request(gw.url, method, p, { body, headers: token === null ? {} : { 'x-admin-token': token } });
const fileText = () => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

before(async () => {
  const clients = createClients({
    AUTH_URL: 'http://127.0.0.1:9',
    INVENTORY_URL: 'http://127.0.0.1:9',
    ORDER_URL: 'http://127.0.0.1:9',
    UPSTREAM_TIMEOUT_MS: 500,
  });
  shop = await startApp(
    createApp({ clients, verifier: new TokenVerifier('http://127.0.0.1:9'), logger: createLogger('gateway-test', 'silent') }),
  );
  gw = await startApp(createAdminApp({ store, token: TOKEN, logger, ratePerMinute: 1000 }));
});
after(async () => {
  store.stop();
  await gw.close();
  await shop.close();
});

describe('the fault admin API', () => {
  it("when the shop's public port is asked for /admin, then it is not there, even with the token", async () => {
    const res = await request(shop.url, 'GET', '/admin/faults', { headers: { 'x-admin-token': TOKEN } });
    assert.equal(res.status, 404);
    assert.ok(isErrorBody(res.body, 'route_not_found'));
  });

  it('when a fault is set with a client name, then the change is logged with what, to what and who; a wrong token is logged too', async () => {
    logged.splice(0);
    await request(gw.url, 'PUT', '/admin/faults/latency', {
      body: { service: 'payment', ms: 40 },
      headers: { 'x-admin-token': TOKEN, 'x-admin-client': 'audit-test' },
    });
    await admin('PUT', '/admin/faults/latency', { service: 'payment', ms: 40 }, 'not-the-token');
    await admin('DELETE', '/admin/faults/latency');
    const audits = logged.filter((l) => l.audit).map((l) => l.audit);
    assert.deepEqual(
      audits.map((a) => [a.action, a.target]),
      [
        ['set', 'latency'],
        ['refused', undefined],
        ['clear', 'latency'],
      ],
    );
    assert.equal(audits[0].params.ms, 40);
    assert.equal(audits[0].who.client, 'audit-test');
    assert.match(audits[0].who.address, /127\.0\.0\.1/);
    assert.ok(!JSON.stringify(logged).includes(TOKEN), 'the token itself is never logged');
  });

  it('when a scenario hides its target, then the audit log hides it too, and the seed that picked it', async () => {
    logged.splice(0);
    await admin('POST', '/admin/scenarios/mystery-latency', { seed: 3, reveal: false });
    const audit = logged.find((l) => l.audit?.action === 'scenario')?.audit;
    assert.deepEqual(audit?.params.faults, { latency: { hidden: true } });
    assert.equal(audit?.params.seed, 'hidden');
    await admin('DELETE', '/admin/faults');
  });

  it('when a path is called with a method it does not serve, then 405 with Allow, after the token is checked', async () => {
    const wrong = await admin('PATCH', '/admin/faults', {});
    assert.equal(wrong.status, 405);
    assert.ok(isErrorBody(wrong.body, 'method_not_allowed'));
    assert.equal(wrong.headers.get('allow'), 'DELETE, GET, HEAD, OPTIONS');
    assert.equal((await admin('OPTIONS', '/admin/faults/latency')).headers.get('allow'), 'DELETE, OPTIONS, PUT');
    assert.equal((await admin('PATCH', '/admin/faults', {}, null)).status, 401);
    assert.equal((await admin('OPTIONS', '/admin/faults', undefined, null)).status, 401);
  });

  it('when GET /admin/faults, then it lists every registry fault and scenario, and what is on', async () => {
    const res = await admin('GET', '/admin/faults');
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.faults.map((f: { name: string }) => f.name),
      FAULTS.map((f) => f.name),
    );
    assert.deepEqual(
      res.body.scenarios.map((s: { name: string }) => s.name),
      SCENARIOS.map((s) => s.name),
    );
    assert.deepEqual(res.body.active, {});
  });

  it('when a fault is set, then the flags file holds it in flagd format and another process sees it', async () => {
    const res = await admin('PUT', '/admin/faults/latency', { service: 'inventory', ms: 250 });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.params, { service: 'inventory', ms: 250, jitter_ms: 0, probability: 1 });
    const flags = JSON.parse(fileText());
    assert.equal(flags.flags.latency.defaultVariant, 'on');
    assert.equal(flags.flags.latency.variants.on.ms, 250);
    const reader = await Faults.start('inventory', { FAULTS_FILE: file });
    try {
      assert.equal((await reader.get('latency'))?.ms, 250);
      await admin('DELETE', '/admin/faults/latency');
      await eventually(async () => (await reader.get('latency')) === undefined, 3000, 50);
    } finally {
      reader.close();
    }
  });

  for (const [label, method, p, body, token, status, code] of [
    ['no token', 'PUT', '/admin/faults/error', { service: 'auth' }, null, 401, 'unauthenticated'],
    ['a wrong token', 'PUT', '/admin/faults/error', { service: 'auth' }, 'nope', 403, 'forbidden'],
    ['an unknown fault', 'PUT', '/admin/faults/gremlins', {}, TOKEN, 404, 'unknown_fault'],
    ['an out-of-range value', 'PUT', '/admin/faults/error', { service: 'auth', rate: 1.5 }, TOKEN, 400, 'invalid_fault_parameters'],
    ['a wrong type', 'PUT', '/admin/faults/latency', { service: 'auth', ms: 'slow' }, TOKEN, 400, 'invalid_fault_parameters'],
    ['an unknown parameter', 'PUT', '/admin/faults/latency', { service: 'auth', seconds: 3 }, TOKEN, 400, 'invalid_fault_parameters'],
    ['an unknown service', 'PUT', '/admin/faults/latency', { service: 'billing' }, TOKEN, 400, 'invalid_fault_parameters'],
    ['a missing required parameter', 'PUT', '/admin/faults/latency', { ms: 10 }, TOKEN, 400, 'invalid_fault_parameters'],
    ['a non-object body', 'PUT', '/admin/faults/latency', [1, 2], TOKEN, 400, 'validation_failed'],
    ['an unknown scenario', 'POST', '/admin/scenarios/armageddon', {}, TOKEN, 404, 'unknown_scenario'],
    ['a bad seed', 'POST', '/admin/scenarios/mystery-latency', { seed: 'x' }, TOKEN, 400, 'validation_failed'],
    ['clearing an unknown fault', 'DELETE', '/admin/faults/gremlins', undefined, TOKEN, 404, 'unknown_fault'],
  ] as const) {
    it(`when the request has ${label}, then ${status} ${code} and nothing changes`, async () => {
      const before = fileText();
      const res = await admin(method, p, body, token);
      assert.equal(res.status, status, JSON.stringify(res.body));
      assert.ok(isErrorBody(res.body, code));
      assert.equal(fileText(), before);
    });
  }

  it('when a scenario runs, then exactly its faults are on; reset turns everything off', async () => {
    await admin('PUT', '/admin/faults/slow_query', { ms: 100 });
    const res = await admin('POST', '/admin/scenarios/mystery-latency', { seed: 7 });
    assert.equal(res.status, 200);
    const again = await admin('POST', '/admin/scenarios/mystery-latency', { seed: 7 });
    assert.equal(again.body.faults.latency.service, res.body.faults.latency.service, 'a seed picks the same target');
    assert.deepEqual(Object.keys(store.active()), ['latency']);
    assert.equal((await admin('DELETE', '/admin/faults')).status, 200);
    assert.deepEqual(store.active(), {});
  });
});

describe('the admin API under load and its config', () => {
  it('when one address calls more than the limit a minute, then 429 with Retry-After, and nothing changes', async () => {
    const limited = await startApp(createAdminApp({ store, token: TOKEN, logger, ratePerMinute: 3 }));
    try {
      const call = () =>
        request(limited.url, 'PUT', '/admin/faults/latency', { body: { service: 'auth', ms: 5 }, headers: { 'x-admin-token': 'guess' } });
      for (let i = 0; i < 3; i++) assert.equal((await call()).status, 403);
      const before = fileText();
      const res = await call();
      assert.equal(res.status, 429);
      assert.ok(isErrorBody(res.body, 'rate_limited'));
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
      assert.equal(fileText(), before);
      // The guesses used up their own allowance, not the token holder's: the console still gets in.
      const holder = await request(limited.url, 'GET', '/admin/faults', { headers: { 'x-admin-token': TOKEN } });
      assert.equal(holder.status, 200);
    } finally {
      await limited.close();
    }
  });

  it('when the admin token is missing, short or a well-known default, then the gateway refuses to start and says why', () => {
    const base = { AUTH_URL: 'http://a', INVENTORY_URL: 'http://i', ORDER_URL: 'http://o' };
    assert.throws(() => readConfig(base), /ADMIN_TOKEN: is not set/);
    assert.throws(() => readConfig({ ...base, ADMIN_TOKEN: 'short-token' }), /ADMIN_TOKEN: must be at least 32/);
    assert.throws(
      () => readConfig({ ...base, ADMIN_TOKEN: 'tracequest-admin-tracequest-admin-123' }),
      /ADMIN_TOKEN: is a well-known default/,
    );
    const ok = readConfig({ ...base, ADMIN_TOKEN: TOKEN });
    assert.equal(ok.ADMIN_HOST, '127.0.0.1');
    assert.equal(ok.HOST, '127.0.0.1');
  });
});
