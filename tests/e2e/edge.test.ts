// What crosses the edge: the gateway decides what a client's request carries into the shop.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isErrorBody, request, uniqueEmail } from '@tracequest/testkit';
import { useStack } from '../src/harness';
import { PASSWORD, Shop } from '../src/shop';

const PER_CLIENT = 12;
const h = useStack({ env: { LOGIN_MAX_FAILURES_PER_CLIENT: String(PER_CLIENT) } });

const login = (email: string, password: string, spoofed: string) =>
  request(h.gateway, 'POST', '/api/auth/login', { body: { email, password }, headers: { 'x-forwarded-for': spoofed } });

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
