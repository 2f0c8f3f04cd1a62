// One function per user task. Each sends one traced request, checks it, and returns the response.
// `data` is what setup() returned: { token, productIds, plentifulIds } (see prepare() below).
import http from 'k6/http';
import { config } from './config.js';
import { CARD, DEMO_USERS, LOW_STOCK_SKUS, pick } from './data.js';
import { checkTraced, traced } from './trace.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const auth = (token) => ({ authorization: `Bearer ${token}`, ...JSON_HEADERS });
const isJson = (r) => String(r.headers['Content-Type'] || '').includes('application/json');

export function browse() {
  const { ctx, params } = traced('browse');
  const res = http.get(`${config.baseUrl}/api/products`, params);
  checkTraced(res, 'browse', ctx, {
    'browse: 200': (r) => r.status === 200,
    'browse: lists products': (r) => r.json('items').length > 0,
  });
  return res;
}

export function viewProduct(data) {
  const id = pick(data.productIds);
  const { ctx, params } = traced('viewProduct', { tags: { name: '/api/products/{id}' } });
  const res = http.get(`${config.baseUrl}/api/products/${id}`, params);
  checkTraced(res, 'viewProduct', ctx, {
    'viewProduct: 200': (r) => r.status === 200,
    'viewProduct: the product asked for': (r) => r.json('id') === id,
  });
  return res;
}

/** A demo user logs in (Argon2 makes this the slowest task: scripts get their token once, in setup()). */
export function logIn() {
  return login(pick(DEMO_USERS));
}

function login(user) {
  const { ctx, params } = traced('logIn', { headers: JSON_HEADERS });
  const res = http.post(`${config.baseUrl}/api/auth/login`, JSON.stringify(user), params);
  checkTraced(res, 'logIn', ctx, {
    'logIn: 200': (r) => r.status === 200,
    'logIn: bearer token': (r) => r.json('token_type') === 'Bearer' && r.json('access_token').length > 0,
  });
  return res;
}

/** Buys one item of a product with plenty of stock, paid with the test card that succeeds. */
export function checkOut(data) {
  const body = { items: [{ product_id: pick(data.plentifulIds), quantity: 1 }], payment: CARD };
  const { ctx, params } = traced('checkOut', { headers: auth(data.token) });
  const res = http.post(`${config.baseUrl}/api/orders`, JSON.stringify(body), params);
  checkTraced(res, 'checkOut', ctx, {
    'checkOut: 201': (r) => r.status === 201,
    'checkOut: paid': (r) => r.json('status') === 'paid',
  });
  return res;
}

export function listOrders(data) {
  const { ctx, params } = traced('listOrders', { headers: auth(data.token) });
  const res = http.get(`${config.baseUrl}/api/orders`, params);
  checkTraced(res, 'listOrders', ctx, {
    'listOrders: 200': (r) => r.status === 200,
    'listOrders: a list': (r) => isJson(r) && Array.isArray(r.json('items')),
  });
  return res;
}

export const TASKS = { browse, viewProduct, logIn, checkOut, listOrders };

/**
 * What every script's setup() returns: one token (one login for the whole run, or TOKEN from
 * the environment) and the catalog's product ids, with the low-stock ones kept out of checkouts.
 */
export function prepare() {
  let token = config.token;
  if (!token) {
    const res = login(DEMO_USERS[0]);
    if (res.status !== 200) throw new Error(`setup: login failed with HTTP ${res.status}; is the shop up at ${config.baseUrl}?`);
    token = res.json('access_token');
  }
  const res = http.get(`${config.baseUrl}/api/products`, { tags: { name: 'setup: catalog' } });
  if (res.status !== 200) throw new Error(`setup: GET /api/products answered HTTP ${res.status}`);
  const items = res.json('items');
  const plentiful = items.filter((p) => !LOW_STOCK_SKUS.includes(p.sku) && p.available > 10000);
  if (plentiful.length === 0) throw new Error('setup: no product with plenty of stock to buy');
  return { token, productIds: items.map((p) => p.id), plentifulIds: plentiful.map((p) => p.id) };
}
