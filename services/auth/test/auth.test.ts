import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPool, migrate } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { isErrorBody, loadEnv, request, type Started, startApp, uniqueEmail } from '@tracequest/testkit';
import { SignJWT } from 'jose';
import { createApp } from '../src/app';
import { MIGRATIONS, readConfig, SCHEMA } from '../src/config';
import { Tokens } from '../src/tokens';

const env = loadEnv();
const pool = createPool(env.DATABASE_URL!, SCHEMA);
const tokens = new Tokens(env.JWT_SECRET!, 60);
let app: Started;

const userCount = async (email: string) =>
  Number((await pool.query('SELECT count(*) FROM users WHERE lower(email) = lower($1)', [email])).rows[0].count);

before(async () => {
  await migrate(pool, SCHEMA, MIGRATIONS);
  app = await startApp(createApp({ pool, tokens, logger: createLogger('auth-test', 'silent') }));
});
after(async () => {
  await app.close();
  await pool.end();
});

describe('POST /register', () => {
  it('when the body is valid, then it creates the user with an Argon2id hash and no plain password', async () => {
    const email = uniqueEmail();
    const res = await request(app.url, 'POST', '/register', { body: { email, password: 'correct-horse', name: 'Ann' } });
    assert.equal(res.status, 201);
    assert.deepEqual(Object.keys(res.body).sort(), ['email', 'id', 'name']);
    const { rows } = await pool.query('SELECT password_hash FROM users WHERE id = $1', [res.body.id]);
    assert.match(rows[0].password_hash, /^\$argon2id\$/);
    assert.ok(!rows[0].password_hash.includes('correct-horse'));
  });

  it('when the email is taken (in any case), then 409 email_taken and no second row', async () => {
    const email = uniqueEmail();
    await request(app.url, 'POST', '/register', { body: { email, password: 'correct-horse', name: 'Ann' } });
    const res = await request(app.url, 'POST', '/register', { body: { email: email.toUpperCase(), password: 'other-pass', name: 'B' } });
    assert.equal(res.status, 409);
    assert.ok(isErrorBody(res.body, 'email_taken'));
    assert.equal(await userCount(email), 1);
  });

  for (const [label, body] of [
    ['a bad email', { email: 'not-an-email', password: 'correct-horse', name: 'A' }],
    ['a short password', { email: uniqueEmail(), password: 'short', name: 'A' }],
    ['a wrong type', { email: uniqueEmail(), password: 12345678, name: 'A' }],
    ['an unknown field', { email: uniqueEmail(), password: 'correct-horse', name: 'A', admin: true }],
    ['a missing name', { email: uniqueEmail(), password: 'correct-horse' }],
  ] as const) {
    it(`when the body has ${label}, then 400 validation_failed and nothing is written`, async () => {
      const res = await request(app.url, 'POST', '/register', { body });
      assert.equal(res.status, 400);
      assert.ok(isErrorBody(res.body, 'validation_failed'));
      if (typeof body.email === 'string') assert.equal(await userCount(body.email), 0);
    });
  }

  it('when the body is malformed JSON, then 400 invalid_json', async () => {
    const res = await request(app.url, 'POST', '/register', { raw: '{"email": ' });
    assert.equal(res.status, 400);
    assert.ok(isErrorBody(res.body, 'invalid_json'));
  });

  it('when the body is huge, then 413 payload_too_large', async () => {
    const res = await request(app.url, 'POST', '/register', { body: { email: uniqueEmail(), password: 'x'.repeat(100_000), name: 'A' } });
    assert.equal(res.status, 413);
    assert.ok(isErrorBody(res.body, 'payload_too_large'));
  });
});

describe('POST /login and POST /introspect', () => {
  const email = uniqueEmail('login');
  before(async () => {
    await request(app.url, 'POST', '/register', { body: { email, password: 'correct-horse', name: 'Lee' } });
  });

  it('when the password is right, then a Bearer JWT that introspects as active for that user', async () => {
    const res = await request(app.url, 'POST', '/login', { body: { email, password: 'correct-horse' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 60);
    assert.equal(res.body.access_token.split('.').length, 3);
    const intro = await request(app.url, 'POST', '/introspect', { body: { token: res.body.access_token } });
    assert.equal(intro.status, 200);
    assert.equal(intro.body.active, true);
    assert.equal(intro.body.email, email);
    const { rows } = await pool.query('SELECT id FROM users WHERE email = $1', [email]);
    assert.equal(intro.body.sub, rows[0].id);
  });

  it('when the password is wrong or the user unknown, then 401 invalid_credentials', async () => {
    for (const body of [
      { email, password: 'wrong-horse' },
      { email: uniqueEmail(), password: 'correct-horse' },
    ]) {
      const res = await request(app.url, 'POST', '/login', { body });
      assert.equal(res.status, 401);
      assert.ok(isErrorBody(res.body, 'invalid_credentials'));
    }
  });

  it('when a token is forged, expired or garbage, then introspection says inactive', async () => {
    const { rows } = await pool.query('SELECT id FROM users WHERE email = $1', [email]);
    const forged = await new SignJWT({ email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(rows[0].id)
      .setIssuer('tracequest-auth')
      .setAudience('tracequest')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    const expired = await new SignJWT({ email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(rows[0].id)
      .setIssuer('tracequest-auth')
      .setAudience('tracequest')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(env.JWT_SECRET!));
    for (const token of [forged, expired, 'not.a.jwt', 'x']) {
      const res = await request(app.url, 'POST', '/introspect', { body: { token } });
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { active: false });
    }
  });
});

describe('health and config', () => {
  it('when Postgres answers, then /healthz and /readyz are 200', async () => {
    assert.equal((await request(app.url, 'GET', '/healthz')).status, 200);
    const ready = await request(app.url, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.checks.postgres, 'ok');
  });

  it('when the JWT secret is too short or the port is not a number, then config names the variable', () => {
    assert.throws(() => readConfig({ ...env, JWT_SECRET: 'short' }), /JWT_SECRET/);
    assert.throws(() => readConfig({ ...env, AUTH_PORT: 'eighty' }), /AUTH_PORT/);
  });

  it('when an unknown route is called, then 404 JSON', async () => {
    const res = await request(app.url, 'GET', '/nope');
    assert.equal(res.status, 404);
    assert.ok(isErrorBody(res.body, 'route_not_found'));
  });
});
