// What crosses the edge: the gateway decides what a client's request carries into the shop.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isErrorBody, request, uniqueEmail } from '@tracequest/testkit';
import { CONTRACT } from '../src/contract';
import { useStack } from '../src/harness';
import { traceIdOf } from '../src/jaeger';
import { PASSWORD, Shop } from '../src/shop';

const PER_CLIENT = 12;
const h = useStack({ env: { LOGIN_MAX_FAILURES_PER_CLIENT: String(PER_CLIENT) } });

const login = (email: string, password: string, spoofed: string) =>
  request(h.gateway, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': spoofed } });

describe('baggage at the edge', () => {
  it('when a checkout carries an unknown baggage key and a 4,000-character value, then neither reaches any span in Jaeger nor the outbox, and the allowed key still does', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = await shop.plentiful();
    const huge = `huge${'x'.repeat(3996)}`;
    const planted = 'planted-by-a-client';
    const res = await shop.checkout([{ product_id: product.id, quantity: 1 }], undefined, {
      baggage: `synthetic_request=true,user.is_admin=${planted},shop.campaign=${huge}`,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const id = traceIdOf(res);
    const spans = await h.jaeger.traceWith(id, CONTRACT.checkout.services, {
      where: (s) => s.some((x) => x.service === 'order' && x.name === 'POST /orders/:id/fulfilment'),
    });
    const text = JSON.stringify(spans);
    assert.ok(!text.includes(planted), 'the unknown key is on no span');
    assert.ok(!text.includes('user.is_admin'), 'the unknown key is on no span');
    assert.ok(!text.includes('xxxxxxxxxxxxxxxx'), 'the 4,000-character value is on no span, not even cut');
    assert.ok(!spans.some((s) => 'shop.campaign' in s.tags), 'the over-long campaign is dropped, not cut');
    // The allowed key, with a short value, still reaches every service, the worker's spans included.
    const marked = new Set(spans.filter((s) => s.tags.synthetic_request === 'true').map((s) => s.service));
    assert.deepEqual([...marked].sort(), [...CONTRACT.checkout.services].sort());
    const { rows } = await h.db.query('SELECT trace_context FROM orders.outbox WHERE aggregate_id = $1', [res.body.id]);
    assert.equal(rows.length, 1);
    const stored = JSON.stringify(rows[0].trace_context);
    assert.ok(stored.includes('synthetic_request=true'), stored);
    assert.ok(!stored.includes(planted) && !stored.includes('xxxxxxxxxxxxxxxx'), stored);
  });

  it('when a client puts a token in a campaign, then the spans carry it masked', async () => {
    const shop = await new Shop(h.gateway).signUp();
    // A token short enough for a baggage value (the shop's own are longer than 256 characters: dropped).
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmVkLWJ5LXNvbWVvbmU';
    const res = await shop.checkout([{ product_id: (await shop.plentiful()).id, quantity: 1 }], undefined, {
      baggage: `shop.campaign=spring-${token}`,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const spans = await h.jaeger.traceWith(traceIdOf(res), ['gateway', 'payment']);
    const campaigns = new Set(spans.map((s) => s.tags['shop.campaign']).filter(Boolean));
    assert.deepEqual([...campaigns], ['spring-[token redacted]']);
    assert.ok(!JSON.stringify(spans).includes(token), 'the token is on no span');
  });

  it('when a campaign of ordinary length is sent, then it is on the spans of all six services (quest 10)', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const res = await shop.checkout([{ product_id: (await shop.plentiful()).id, quantity: 1 }], undefined, {
      baggage: `shop.campaign=${'c'.repeat(250)}`,
    });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const spans = await h.jaeger.traceWith(traceIdOf(res), CONTRACT.checkout.services, {
      where: (s) => s.some((x) => x.service === 'worker' && x.tags['shop.campaign']),
    });
    const carrying = new Set(spans.filter((s) => s.tags['shop.campaign'] === 'c'.repeat(250)).map((s) => s.service));
    assert.deepEqual([...carrying].sort(), [...CONTRACT.checkout.services].sort());
  });
});

describe('failed logins through the gateway', () => {
  it('when an account fails 5 times, then 429 too_many_attempts with Retry-After even for the right password; and a client that claims other addresses is still counted as itself', async () => {
    const shop = await new Shop(h.gateway).signUp();
    const before = await h.db.query('SELECT count(*)::int AS n FROM auth.users');
    for (let i = 0; i < 5; i++) assert.equal((await login(shop.email, 'wrong-password', `198.51.100.${i}`)).status, 401);
    const blocked = await login(shop.email, PASSWORD, '198.51.100.200');
    assert.equal(blocked.status, 429, JSON.stringify(blocked.body));
    assert.ok(isErrorBody(blocked.body, 'too_many_attempts'));
    assert.ok(Number(blocked.headers.get('retry-after')) > 0, `Retry-After: ${blocked.headers.get('retry-after')}`);
    // The other failures this client may have, each on another email and claiming another address.
    const other = await new Shop(h.gateway).signUp();
    for (let i = 5; i < PER_CLIENT; i++) assert.equal((await login(uniqueEmail('nobody'), 'wrong-password', `203.0.113.${i}`)).status, 401);
    const client = await login(other.email, PASSWORD, '192.0.2.1');
    assert.equal(client.status, 429, 'the x-forwarded-for a client sends is not believed');
    assert.ok(client.headers.get('retry-after'));
    assert.equal((await h.db.query('SELECT count(*)::int AS n FROM auth.users')).rows[0].n, before.rows[0].n + 1);
  });
});
