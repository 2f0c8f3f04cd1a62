import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAULTS, FaultStore, Faults, SCENARIOS } from '@tracequest/faults';
import { TokenVerifier } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { eventually, isErrorBody, request, type Started, startApp } from '@tracequest/testkit';
import { createApp } from '../src/app';
import { createClients } from '../src/clients';

const TOKEN = 'test-admin-token-123';
const file = path.join(mkdtempSync(path.join(tmpdir(), 'faults-')), 'flags.json');
const store = new FaultStore(file).start();
let gw: Started;
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
  gw = await startApp(
    createApp({
      clients,
      verifier: new TokenVerifier('http://127.0.0.1:9'),
      logger: createLogger('gateway-test', 'silent'),
      admin: { store, token: TOKEN },
    }),
  );
});
after(async () => {
  store.stop();
  await gw.close();
});

describe('the fault admin API', () => {
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
