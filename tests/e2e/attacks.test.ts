// The shop as an attacker on the workshop network finds it under npm start: every listener on
// loopback, no service that takes an identity on trust, no committed secret that opens anything.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseEnv } from 'node:util';
import { LOCAL_ENV, REPO_ROOT } from '@tracequest/stack';
import { isErrorBody, request } from '@tracequest/testkit';
import { SignJWT } from 'jose';
import pg from 'pg';
import { useStack } from '../src/harness';
import { CARDS, CVC, Shop } from '../src/shop';

const h = useStack();

/** This machine's addresses another machine could reach it on (none on a sandbox without a network). */
const outsideAddresses = () =>
  Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && !a.internal && a.family === 'IPv4')
    .map((a) => a!.address);

const connects = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ host, port, timeout: 1000 });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });

/** The local address of every listening TCP socket on these ports, from the kernel's table. */
function listeners(ports: number[]): { port: number; address: string }[] {
  const out: { port: number; address: string }[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [hex, portHex] = local.split(':');
      const port = Number.parseInt(portHex, 16);
      if (state !== '0A' || !ports.includes(port)) continue;
      const address =
        hex.length === 8
          ? hex
              .match(/../g)!
              .reverse()
              .map((b) => Number.parseInt(b, 16))
              .join('.')
          : hex === '00000000000000000000000001000000'
            ? '::1'
            : hex === '0'.repeat(32)
              ? '::'
              : hex;
      out.push({ port, address });
    }
  }
  return out;
}

const countRows = async (table: string) => Number((await h.db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

describe('from another machine on the workshop network', () => {
  it('when every port of the shop is tried on an outside address, then none answers; on loopback all do', async () => {
    const ports = [h.gateway, h.admin, ...Object.values(h.stack.urls)]
      .filter((u): u is string => typeof u === 'string' && u.startsWith('http://127.0.0.1:'))
      .map((u) => Number(new URL(u).port));
    const shopPorts = [...new Set(ports)];
    assert.ok(shopPorts.length >= 8, `the six services, the admin API and the console: ${shopPorts}`);
    for (const port of shopPorts) assert.ok(await connects('127.0.0.1', port), `${port} answers on loopback`);
    // What the kernel says each one listens on: loopback, never every interface. The same for the
    // Postgres and RabbitMQ the native run starts (AMQP and its management UI).
    const env = h.stack.env;
    const stores = [env.POSTGRES_PORT, env.RABBITMQ_PORT, env.RABBITMQ_UI_PORT].map(Number);
    const bound = listeners([...shopPorts, ...stores]);
    assert.ok(bound.length >= shopPorts.length + stores.length, JSON.stringify(bound));
    for (const l of bound) assert.ok(['127.0.0.1', '::1'].includes(l.address), `port ${l.port} listens on ${l.address}`);
    const outside = outsideAddresses();
    for (const host of outside)
      for (const port of shopPorts) assert.equal(await connects(host, port), false, `${host}:${port} is reachable from outside`);
    console.log(
      `tried ${shopPorts.length} ports on loopback and on ${outside.length} outside address(es): ${outside.join(', ') || 'none'}`,
    );
  });
});

describe('calling the services behind the gateway directly', () => {
  it('when order gets a bare x-user-id header, then 401 and no order is written', async () => {
    const before = await countRows('orders.orders');
    const user = randomUUID();
    const list = await request(h.stack.urls.order, 'GET', '/orders', { headers: { 'x-user-id': user } });
    const place = await request(h.stack.urls.order, 'POST', '/orders', {
      headers: { 'x-user-id': user },
      body: {
        items: [{ product_id: randomUUID(), quantity: 1 }],
        payment: { card_number: CARDS.ok, exp_month: 12, exp_year: 2030, cvc: CVC },
      },
    });
    assert.deepEqual([list.status, place.status], [401, 401]);
    assert.ok(isErrorBody(place.body, 'unauthenticated'));
    assert.equal(await countRows('orders.orders'), before);
  });

  it("when payment is asked to void or refund without a token, or with a shopper's, then 401/403 and the charge stays", async () => {
    const shop = await new Shop(h.gateway).signUp();
    const placed = await shop.checkout([{ product_id: (await shop.plentiful()).id, quantity: 1 }]);
    assert.equal(placed.status, 201);
    const charge = (await h.db.query("SELECT id FROM payment.charges WHERE order_id = $1 AND status = 'succeeded'", [placed.body.id]))
      .rows[0];
    for (const token of [undefined, shop.token]) {
      const refund = await request(h.stack.urls.payment, 'POST', `/charges/${charge.id}/refund`, { token });
      const voiding = await request(h.stack.urls.payment, 'POST', '/voids', { token, body: { order_id: placed.body.id } });
      assert.deepEqual([refund.status, voiding.status], token ? [403, 403] : [401, 401]);
    }
    const after = (await h.db.query('SELECT status FROM payment.charges WHERE id = $1', [charge.id])).rows[0];
    assert.equal(after.status, 'succeeded');
  });

  it('when inventory is asked to reserve without a token, then 401 and no stock moves', async () => {
    const product = (await new Shop(h.gateway).plentiful()).id;
    const stock = async () => (await h.db.query('SELECT stock FROM inventory.products WHERE id = $1', [product])).rows[0].stock;
    const before = await stock();
    const res = await request(h.stack.urls.inventory, 'POST', '/reservations', {
      body: { order_id: randomUUID(), items: [{ product_id: product, quantity: 5 }] },
    });
    assert.equal(res.status, 401);
    assert.equal(await stock(), before);
  });

  it("when a shopper's own token goes straight to inventory or payment, then it can hold no stock and take no charge: only through order", async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = (await shop.plentiful()).id;
    const stock = async () => (await h.db.query('SELECT stock FROM inventory.products WHERE id = $1', [product])).rows[0].stock;
    const before = await stock();
    const orderId = randomUUID();
    const hold = await request(h.stack.urls.inventory, 'POST', '/reservations', {
      token: shop.token,
      body: { order_id: orderId, items: [{ product_id: product, quantity: 5 }] },
    });
    const someId = randomUUID();
    const commit = await request(h.stack.urls.inventory, 'POST', `/reservations/${someId}/commit`, { token: shop.token });
    const release = await request(h.stack.urls.inventory, 'POST', `/reservations/${someId}/release`, { token: shop.token });
    const byOrder = await request(h.stack.urls.inventory, 'POST', '/reservations/release', {
      token: shop.token,
      body: { order_id: orderId },
    });
    const charge = await request(h.stack.urls.payment, 'POST', '/charges', {
      token: shop.token,
      headers: { 'idempotency-key': orderId },
      body: {
        order_id: orderId,
        amount_cents: 1,
        currency: 'USD',
        card: { card_number: CARDS.ok, exp_month: 12, exp_year: 2030, cvc: CVC },
      },
    });
    assert.deepEqual([hold.status, commit.status, release.status, byOrder.status, charge.status], [403, 403, 403, 403, 403]);
    assert.ok(isErrorBody(hold.body, 'forbidden'));
    assert.equal(await stock(), before, 'nothing held');
    assert.equal((await h.db.query('SELECT count(*)::int AS n FROM payment.charges WHERE order_id = $1', [orderId])).rows[0].n, 0);
    // The same shopper's checkout, through the gateway and order, still reserves and charges.
    assert.equal((await shop.checkout([{ product_id: product, quantity: 1 }])).status, 201);
  });

  it('when auth is asked who a user is by a shopper, then 403: only the worker may', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const me = (await h.db.query('SELECT id FROM auth.users WHERE email = $1', [shop.email])).rows[0].id;
    assert.equal((await request(h.stack.urls.auth, 'GET', `/users/${me}`)).status, 401);
    assert.equal((await request(h.stack.urls.auth, 'GET', `/users/${me}`, { token: shop.token })).status, 403);
  });
});

describe('secrets an attacker could read in the repository', () => {
  it('when a token is minted with the secret this repository once committed, then every private route refuses it', async () => {
    const user = (await h.db.query('SELECT id, email FROM auth.users LIMIT 1')).rows[0];
    const minted = await new SignJWT({ email: user.email })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(user.id)
      .setIssuer('tracequest-auth')
      .setAudience('tracequest')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('tracequest-dev-secret-change-me'));
    assert.equal((await request(h.gateway, 'GET', '/api/orders', { token: minted })).status, 401);
    assert.equal((await request(h.stack.urls.order, 'GET', '/orders', { token: minted })).status, 401);
  });

  it('when the admin token once committed is tried, then the public port has no admin API and the admin port refuses it', async () => {
    const committed = readFileSync(path.join(REPO_ROOT, '.env'), 'utf8');
    assert.doesNotMatch(committed, /^(ADMIN_TOKEN|ORDER_CLIENT_SECRET|WORKER_CLIENT_SECRET)=/m, '.env holds no secret');
    const headers = { 'x-admin-token': 'tracequest-admin' };
    assert.equal((await request(h.gateway, 'DELETE', '/admin/faults', { headers })).status, 404);
    assert.equal((await request(h.admin, 'DELETE', '/admin/faults', { headers })).status, 403);
    assert.equal((await request(h.admin, 'GET', '/admin/faults', { headers: { 'x-admin-token': h.stack.env.ADMIN_TOKEN } })).status, 200);
    assert.ok(h.stack.env.ADMIN_TOKEN.length >= 32 && h.stack.env.ADMIN_TOKEN !== 'tracequest-admin');
  });

  it("when the Postgres and RabbitMQ passwords .env gives compose are tried natively, then both refuse them: this install's own are in .env.local", async () => {
    const committed = parseEnv(readFileSync(path.join(REPO_ROOT, '.env'), 'utf8')) as Record<string, string>;
    const local = parseEnv(readFileSync(LOCAL_ENV, 'utf8')) as Record<string, string>;
    for (const name of ['POSTGRES_PASSWORD', 'RABBITMQ_PASSWORD']) {
      assert.match(local[name] ?? '', /^[A-Za-z0-9]{43}$/, `${name} is made for this install`);
      assert.notEqual(local[name], committed[name]);
    }
    // The key that signs every token is in Postgres: .env's password must not open it.
    const known = new pg.Client({ connectionString: committed.DATABASE_URL, connectionTimeoutMillis: 3000 });
    await assert.rejects(known.connect(), (err: { code?: string }) => err.code === '28P01', 'password authentication failed');
    await known.end().catch(() => undefined);
    const own = new pg.Client({ connectionString: h.stack.env.DATABASE_URL });
    await own.connect();
    await own.end();
    const whoami = (password: string) =>
      fetch(`http://127.0.0.1:${committed.RABBITMQ_UI_PORT}/api/whoami`, {
        headers: { authorization: `Basic ${Buffer.from(`${committed.RABBITMQ_USER}:${password}`).toString('base64')}` },
      });
    assert.equal((await whoami(committed.RABBITMQ_PASSWORD)).status, 401);
    assert.equal((await whoami(local.RABBITMQ_PASSWORD)).status, 200);
  });
});
