import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPool, migrate } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { isErrorBody, loadEnv, request, type Started, startApp, uniqueEmail } from '@tracequest/testkit';
import { createApp } from '../src/app';
import { type AuthLimits, authLimits, MIGRATIONS, readConfig, SCHEMA } from '../src/config';
import { SigningKeyRepository } from '../src/signing-key-repository';
import { Tokens } from '../src/tokens';

const env = loadEnv();
const pool = createPool(env.DATABASE_URL!, SCHEMA);
const PASSWORD = 'throttle-password-1';
const apps: Started[] = [];

/** An auth app of its own (its own counters), with the limits given over the config's defaults. */
async function authWith(overrides: Record<string, string>): Promise<string> {
  const limits: AuthLimits = authLimits(readConfig({ ...env, ...overrides }));
  const tokens = await Tokens.load(pool, new SigningKeyRepository(pool), 60);
  const clients = { order: `order-secret-${'x'.repeat(32)}`, worker: `worker-secret-${'y'.repeat(32)}` };
  const app = await startApp(createApp({ pool, tokens, limits, clients, logger: createLogger('auth-test', 'silent') }));
  apps.push(app);
  return app.url;
}

async function account(url: string): Promise<string> {
  const email = uniqueEmail('throttle');
  const res = await request(url, 'POST', '/register', { body: { email, password: PASSWORD, name: 'T' } });
  assert.equal(res.status, 201);
  return email;
}

const login = (url: string, email: string, password: string, client?: string) =>
  request(url, 'POST', '/login', { body: { email, password }, headers: client ? { 'x-forwarded-for': client } : {} });

before(() => migrate(pool, SCHEMA, MIGRATIONS));
after(async () => {
  for (const app of apps) await app.close();
  await pool.end();
});

describe('POST /login, throttled', () => {
  const limits = { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_CLIENT: '6', LOGIN_FAILURE_WINDOW_SECONDS: '120' };

  it('when an account has its failures in a window, then the next login is 429 too_many_attempts with Retry-After, even with the right password', async () => {
    const url = await authWith(limits);
    const email = await account(url);
    for (let i = 0; i < 3; i++) assert.equal((await login(url, email, 'wrong-password', `10.0.0.${i}`)).status, 401);
    const res = await login(url, email.toUpperCase(), PASSWORD, '10.0.1.1');
    assert.equal(res.status, 429);
    assert.ok(isErrorBody(res.body, 'too_many_attempts'));
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 120, `Retry-After: ${res.headers.get('retry-after')}`);
    // Another account, from another address, is not held back.
    assert.equal((await login(url, await account(url), PASSWORD, '10.0.1.2')).status, 200);
  });

  it('when many guesses for one account arrive at once, then no more than its limit are checked: each counts from the start', async () => {
    const url = await authWith(limits);
    const email = await account(url);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => login(url, email, `wrong-password-${i}`, `10.2.0.${i}`)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [...Array(3).fill(401), ...Array(9).fill(429)], statuses.join(','));
    // And the right password waits for the window too.
    assert.equal((await login(url, email, PASSWORD, '10.2.1.1')).status, 429);
  });

  it('when a login succeeds, then the account starts counting its failures again', async () => {
    const url = await authWith(limits);
    const email = await account(url);
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 2; i++) assert.equal((await login(url, email, 'wrong-password', `10.1.${round}.${i}`)).status, 401);
      assert.equal((await login(url, email, PASSWORD, `10.1.${round}.9`)).status, 200);
    }
  });

  it('when one client address fails on many accounts, then it is 429 for every account, and another address is not', async () => {
    const url = await authWith(limits);
    const emails = await Promise.all(Array.from({ length: 7 }, () => account(url)));
    for (const email of emails.slice(0, 6)) assert.equal((await login(url, email, 'wrong-password', '192.168.7.7')).status, 401);
    const blocked = await login(url, emails[6], PASSWORD, '192.168.7.7');
    assert.equal(blocked.status, 429);
    assert.ok(blocked.headers.get('retry-after'));
    assert.equal((await login(url, emails[6], PASSWORD, '192.168.7.8')).status, 200);
  });

  it('when more logins arrive at once than hashes may run and wait, then the rest are 503 busy with Retry-After, and none fails otherwise', async () => {
    // One account, many logins at once: its own limit set high, so only the hashing limits show.
    const url = await authWith({ ARGON2_CONCURRENCY: '1', ARGON2_QUEUE: '2', LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' });
    const email = await account(url);
    const results = await Promise.all(Array.from({ length: 12 }, () => login(url, email, PASSWORD)));
    const statuses = results.map((r) => r.status);
    const busy = results.filter((r) => r.status === 503);
    assert.ok(busy.length > 0, `statuses: ${statuses.join(',')}`);
    assert.ok(
      busy.every((r) => isErrorBody(r.body, 'busy') && r.headers.get('retry-after') === '1'),
      JSON.stringify(busy[0]?.body),
    );
    assert.ok(statuses.filter((s) => s === 200).length >= 3, `statuses: ${statuses.join(',')}`);
    assert.deepEqual(
      statuses.filter((s) => s !== 200 && s !== 503),
      [],
    );
    // Once the flood is over, logins go through again.
    assert.equal((await login(url, email, PASSWORD)).status, 200);
  });

  it('when a config value is out of range, then the config is refused naming it', () => {
    assert.throws(() => readConfig({ ...env, ARGON2_CONCURRENCY: '0' }), /ARGON2_CONCURRENCY/);
    assert.throws(() => readConfig({ ...env, LOGIN_MAX_FAILURES_PER_ACCOUNT: 'many' }), /LOGIN_MAX_FAILURES_PER_ACCOUNT/);
    assert.throws(() => readConfig({ ...env, TRUST_PROXY: 'the gateway' }), /TRUST_PROXY/);
    assert.equal(readConfig({ ...env, TRUST_PROXY: '10.0.0.0/8, loopback' }).TRUST_PROXY, '10.0.0.0/8, loopback');
  });
});
