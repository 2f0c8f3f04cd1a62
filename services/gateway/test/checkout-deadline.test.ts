import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { CHARGE_RETRY_WAITS_MS, checkoutBudgetMs, JWKS_PATH, MAX_CHARGE_ATTEMPTS } from '@tracequest/contracts';
import { findFault } from '@tracequest/faults';
import { TokenVerifier } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { isErrorBody, request, type Started, startApp, testSigningKey } from '@tracequest/testkit';
import express from 'express';
import { createApp } from '../src/app';
import { createClients } from '../src/clients';
import { configSchema } from '../src/config';

const UPSTREAM_TIMEOUT_MS = 200;
const ORDER_TAKES_MS = 700;

describe('the checkout deadline', () => {
  it('when order waits out the timeout of every call a checkout makes, then the gateway still waits longer', () => {
    const spec = findFault('retry_storm')!.params.retries;
    const retries = spec.type === 'number' ? Number(spec.max) : Number.NaN;
    assert.ok(retries + 1 <= MAX_CHARGE_ATTEMPTS, 'the retry_storm fault cannot make more charge attempts than the budget counts');
    const max = (configSchema.shape.UPSTREAM_TIMEOUT_MS.unwrap() as unknown as { maxValue: number }).maxValue;
    for (const t of [100, 5000, max]) {
      // reserve, every charge attempt, commit, then a void (or refund) and a release.
      const orderWorstCase = t * (1 + (retries + 1) + 1 + 2) + CHARGE_RETRY_WAITS_MS;
      assert.ok(checkoutBudgetMs(t) > orderWorstCase, `UPSTREAM_TIMEOUT_MS=${t}`);
    }
  });

  describe('POST /api/orders', () => {
    let auth: Started, order: Started, gateway: Started, token: string;
    before(async () => {
      const key = await testSigningKey();
      token = await key.sign(randomUUID());
      const authApp = express().get(JWKS_PATH, (_req, res) => void res.json(key.jwks));
      // An order service that takes longer than one upstream timeout, as a checkout with a retry does.
      const orderApp = express().use(async (req, res) => {
        await new Promise((r) => setTimeout(r, ORDER_TAKES_MS));
        res.status(req.method === 'POST' ? 201 : 200).json({ ok: true });
      });
      [auth, order] = [await startApp(authApp), await startApp(orderApp)];
      const clients = createClients({ AUTH_URL: auth.url, INVENTORY_URL: auth.url, ORDER_URL: order.url, UPSTREAM_TIMEOUT_MS });
      gateway = await startApp(
        createApp({ clients, verifier: new TokenVerifier(auth.url), logger: createLogger('gateway-test', 'silent') }),
      );
    });
    after(async () => {
      for (const s of [gateway, auth, order]) await s.close();
    });

    it('when order answers a checkout after more than UPSTREAM_TIMEOUT_MS, then the gateway relays its answer instead of 504', async () => {
      const res = await request(gateway.url, 'POST', '/api/orders', { token, body: { items: [] } });
      assert.equal(res.status, 201);
    });

    it('when a read takes more than UPSTREAM_TIMEOUT_MS, then it still times out', async () => {
      const res = await request(gateway.url, 'GET', '/api/orders', { token });
      assert.equal(res.status, 504);
      assert.ok(isErrorBody(res.body, 'upstream_timeout'));
    });
  });
});
