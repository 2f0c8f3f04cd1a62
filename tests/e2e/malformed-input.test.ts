// What a client can send that is not what the API expects: every service answers a 4xx in the one
// error shape, and nothing is written.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { isErrorBody, request, uniqueEmail } from '@tracequest/testkit';
import { useStack } from '../src/harness';
import { CARDS, CVC, PASSWORD, Shop } from '../src/shop';

const h = useStack();

const TABLES = ['auth.users', 'orders.orders', 'orders.outbox', 'payment.charges', 'inventory.reservations'];
async function rowCounts(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const t of TABLES) counts[t] = Number((await h.db.query(`SELECT count(*) FROM ${t}`)).rows[0].count);
  return counts;
}

/** A raw request: the path is sent as written (a bad percent-escape stays bad). */
async function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

function assertClientError(res: { status: number; body: unknown }, what: string, status?: number, code?: string) {
  if (status) assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
  else assert.ok(res.status >= 400 && res.status < 500, `${what} → ${res.status} ${JSON.stringify(res.body)}`);
  assert.ok(isErrorBody(res.body, code), `${what}: ${JSON.stringify(res.body)}`);
}

describe('malformed input, at the gateway and at every service behind it', () => {
  it('when a path holds a bad percent-escape, then 400 malformed_path from the gateway and from each service', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const auth = { authorization: `Bearer ${shop.token}` };
    const { urls } = h.stack;
    for (const [base, path, headers] of [
      [h.gateway, '/api/products/%ZZ', {}],
      [h.gateway, '/api/orders/%ZZ', auth],
      [h.gateway, '/api/orders/%E0%A4%A', auth],
      [urls.inventory, '/products/%ZZ', {}],
      [urls.order, '/orders/%ZZ', auth],
      [urls.auth, '/users/%ZZ', {}],
      [urls.payment, '/charges/%ZZ', {}],
    ] as [string, string, Record<string, string>][]) {
      assertClientError(await raw(base, 'GET', path, headers), `GET ${base}${path}`, 400, 'malformed_path');
    }
  });

  it('when a name or password holds a NUL byte or another control character, then 400 and no user is written', async () => {
    const before = await rowCounts();
    for (const name of ['Ada\u0000Lovelace', 'bell\u0007', 'tab\tname', 'escape\u001b[31m', 'half \ud800 pair']) {
      const res = await request(h.gateway, 'POST', '/api/auth/register', { body: { email: uniqueEmail('ctl'), password: PASSWORD, name } });
      assertClientError(res, `name ${JSON.stringify(name)}`, 400, 'validation_failed');
    }
    const res = await request(h.gateway, 'POST', '/api/auth/register', {
      body: { email: uniqueEmail('ctl'), password: `${PASSWORD}\u0000`, name: 'Ada' },
    });
    assertClientError(res, 'a password with a NUL', 400, 'validation_failed');
    assert.deepEqual(await rowCounts(), before);
  });

  it('when a checkout lists one product twice, in upper and in lower case, then 400 and nothing is written', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = (await shop.plentiful()).id;
    const before = await rowCounts();
    const res = await shop.checkout([
      { product_id: product.toUpperCase(), quantity: 1 },
      { product_id: product, quantity: 1 },
    ]);
    assertClientError(res, 'the same product in two cases', 400, 'validation_failed');
    assert.deepEqual(await rowCounts(), before);
    // One id in upper case alone is the same product: the checkout goes through.
    const ok = await shop.checkout([{ product_id: product.toUpperCase(), quantity: 1 }]);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    assert.equal(ok.body.items[0].product_id, product);
  });

  it('when a body is sent as anything but application/json, then 415 unsupported_media_type everywhere and nothing is written', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = (await shop.plentiful()).id;
    const checkout = JSON.stringify({
      items: [{ product_id: product, quantity: 1 }],
      payment: { card_number: CARDS.ok, exp_month: 12, exp_year: 2030, cvc: CVC },
    });
    const login = JSON.stringify({ email: shop.email, password: PASSWORD });
    const { urls } = h.stack;
    const before = await rowCounts();
    const targets: [string, string, string, Record<string, string>][] = [
      [h.gateway, '/api/orders', checkout, { authorization: `Bearer ${shop.token}` }],
      [h.gateway, '/api/auth/login', login, {}],
      [h.gateway, '/api/auth/register', JSON.stringify({ email: uniqueEmail(), password: PASSWORD, name: 'x' }), {}],
      [urls.auth, '/login', login, {}],
      [urls.order, '/orders', checkout, { authorization: `Bearer ${shop.token}` }],
      [urls.inventory, '/reservations', JSON.stringify({ order_id: randomUUID(), items: [{ product_id: product, quantity: 1 }] }), {}],
      [urls.payment, '/voids', JSON.stringify({ order_id: randomUUID() }), {}],
    ];
    for (const [base, path, body, headers] of targets) {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data; boundary=x',
        undefined,
      ]) {
        // fetch labels a string body text/plain itself: a Blob without a type goes without the header.
        const payload = type ? body : new Blob([body]);
        const res = await fetch(base + path, {
          method: 'POST',
          headers: { ...headers, ...(type ? { 'content-type': type } : {}) },
          body: payload,
        });
        const json = await res.json();
        assertClientError(
          { status: res.status, body: json },
          `POST ${base}${path} as ${type ?? 'no content type'}`,
          415,
          'unsupported_media_type',
        );
      }
    }
    assert.deepEqual(await rowCounts(), before);
    // The same body as JSON still works (with a charset too).
    const res = await raw(h.gateway, 'POST', '/api/auth/login', { 'content-type': 'application/json; charset=utf-8' }, login);
    assert.equal(res.status, 200, JSON.stringify(res.body));
  });
});
