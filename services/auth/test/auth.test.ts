import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JWKS_PATH, jwks } from '@tracequest/contracts';
import { createPool, migrate, TokenVerifier } from '@tracequest/service-kit';
import { createLogger } from '@tracequest/telemetry';
import { isErrorBody, loadEnv, request, type Started, startApp, testSigningKey, uniqueEmail } from '@tracequest/testkit';
import { decodeProtectedHeader, SignJWT } from 'jose';
import { createApp } from '../src/app';
import { authLimits, MIGRATIONS, readConfig, SCHEMA } from '../src/config';
import { SigningKeyRepository } from '../src/signing-key-repository';
import { Tokens } from '../src/tokens';

const env = loadEnv();
const pool = createPool(env.DATABASE_URL!, SCHEMA);
let tokens: Tokens;
let app: Started;
const clients = { order: `order-secret-${'x'.repeat(32)}`, worker: `worker-secret-${'y'.repeat(32)}` };

const userCount = async (email: string) =>
  Number((await pool.query('SELECT count(*) FROM users WHERE lower(email) = lower($1)', [email])).rows[0].count);

before(async () => {
  await migrate(pool, SCHEMA, MIGRATIONS);
  tokens = await Tokens.load(pool, new SigningKeyRepository(pool), 60);
  app = await startApp(
    createApp({ pool, tokens, clients, logger: createLogger('auth-test', 'silent'), limits: authLimits(readConfig(env)) }),
  );
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

describe('POST /login, and the keys tokens are checked with', () => {
  const email = uniqueEmail('login');
  before(async () => {
    await request(app.url, 'POST', '/register', { body: { email, password: 'correct-horse', name: 'Lee' } });
  });

  it('when the password is right, then an EdDSA JWT for that user that verifies against the published JWKS', async () => {
    const res = await request(app.url, 'POST', '/login', { body: { email, password: 'correct-horse' } });
    assert.equal(res.status, 200);
    assert.equal(res.body.token_type, 'Bearer');
    assert.equal(res.body.expires_in, 60);
    assert.equal(decodeProtectedHeader(res.body.access_token).alg, 'EdDSA');
    const claims = await new TokenVerifier(app.url).verify(res.body.access_token);
    const { rows } = await pool.query('SELECT id FROM users WHERE email = $1', [email]);
    assert.deepEqual(claims && { ...claims, exp: 0 }, { kind: 'user', id: rows[0].id, email, exp: 0 });
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

  it('when the JWKS is fetched, then it holds only public keys, cacheable, and a restart keeps the same key', async () => {
    const res = await request(app.url, 'GET', JWKS_PATH);
    assert.equal(res.status, 200);
    assert.ok(jwks.safeParse(res.body).success);
    assert.ok(!JSON.stringify(res.body).includes('"d"'), 'no private key material');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=\d+/);
    const again = await Tokens.load(pool, new SigningKeyRepository(pool), 60);
    assert.deepEqual(again.jwks(), res.body);
  });

  it('when a token is forged, expired or garbage, then verification refuses it', async () => {
    const { rows } = await pool.query('SELECT id FROM users WHERE email = $1', [email]);
    const stranger = await testSigningKey();
    const verifier = new TokenVerifier(app.url);
    const hs256 = await new SignJWT({ email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(rows[0].id)
      .setIssuer('tracequest-auth')
      .setAudience('tracequest')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-another-secret-another'));
    // Signed with auth's own key, but already past its expiry.
    const expired = await (await Tokens.load(pool, new SigningKeyRepository(pool), -60)).sign(rows[0].id, email);
    for (const token of [hs256, await stranger.sign(rows[0].id), expired, 'not.a.jwt', 'x'])
      assert.equal(await verifier.verify(token), undefined);
  });
});

describe('service tokens, and who may look a user up', () => {
  const serviceToken = async (client_id: string, client_secret: string) =>
    request(app.url, 'POST', '/service-tokens', { body: { client_id, client_secret } });

  it('when a service sends its generated secret, then it gets a token that speaks for that service, not for a user', async () => {
    const res = await serviceToken('worker', clients.worker);
    assert.equal(res.status, 200);
    const caller = await new TokenVerifier(app.url).verify(res.body.access_token);
    assert.deepEqual(caller && { ...caller, exp: 0 }, { kind: 'service', name: 'worker', exp: 0 });
  });

  it("when the secret is wrong, another client's, or the client unknown, then 401 invalid_client or 400, and no token", async () => {
    for (const [id, secret, status] of [
      ['worker', clients.order, 401],
      ['order', 'x'.repeat(40), 401],
      ['gateway', clients.worker, 400],
    ] as const) {
      const res = await serviceToken(id, secret);
      assert.equal(res.status, status, `${id}`);
      assert.equal(res.body.access_token, undefined);
    }
  });

  it("when GET /users/:id comes without a token, with a shopper's, or with order's, then 401/403; with the worker's, then the user", async () => {
    const email = uniqueEmail('lookup');
    const user = (await request(app.url, 'POST', '/register', { body: { email, password: 'correct-horse', name: 'Lu' } })).body;
    const shopper = (await request(app.url, 'POST', '/login', { body: { email, password: 'correct-horse' } })).body.access_token;
    const order = (await serviceToken('order', clients.order)).body.access_token;
    const worker = (await serviceToken('worker', clients.worker)).body.access_token;
    const lookup = (token?: string) => request(app.url, 'GET', `/users/${user.id}`, { token });
    assert.equal((await lookup()).status, 401);
    assert.equal((await lookup(shopper)).status, 403);
    assert.equal((await lookup(order)).status, 403);
    const res = await lookup(worker);
    assert.equal(res.status, 200);
    assert.equal(res.body.email, email);
  });

  it('when a client secret is missing, short or a well-known default, then auth refuses to start and names it', () => {
    const { ORDER_CLIENT_SECRET: _o, WORKER_CLIENT_SECRET: _w, ...rest } = env;
    assert.throws(() => readConfig({ ...rest, WORKER_CLIENT_SECRET: clients.worker }), /ORDER_CLIENT_SECRET: is not set/);
    assert.throws(
      () => readConfig({ ...rest, ORDER_CLIENT_SECRET: 'short', WORKER_CLIENT_SECRET: clients.worker }),
      /ORDER_CLIENT_SECRET: must be at least 32/,
    );
    assert.throws(
      () => readConfig({ ...rest, ORDER_CLIENT_SECRET: `changeme-${'z'.repeat(30)}`, WORKER_CLIENT_SECRET: clients.worker }),
      /is a well-known default/,
    );
  });
});

describe('health and config', () => {
  it('when Postgres answers, then /healthz and /readyz are 200', async () => {
    assert.equal((await request(app.url, 'GET', '/healthz')).status, 200);
    const ready = await request(app.url, 'GET', '/readyz');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.checks.postgres, 'ok');
  });

  it('when the token lifetime is out of range or the port is not a number, then config names the variable', () => {
    assert.throws(() => readConfig({ ...env, JWT_TTL_SECONDS: '5' }), /JWT_TTL_SECONDS/);
    assert.throws(() => readConfig({ ...env, AUTH_PORT: 'eighty' }), /AUTH_PORT/);
  });

  it('when an unknown route is called, then 404 JSON', async () => {
    const res = await request(app.url, 'GET', '/nope');
    assert.equal(res.status, 404);
    assert.ok(isErrorBody(res.body, 'route_not_found'));
  });
});
