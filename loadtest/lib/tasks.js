// Runs the tasks of ../scenarios.json with k6: one traced request, its checks, its trace link.
import http from 'k6/http';
import { draw, requestOf, runChecks } from './plan.js';
import { checkTraced, traced } from './trace.js';

/** @typedef {import('./plan.js').Definition} Definition */
/** @typedef {import('./plan.js').Knobs} Knobs */
/** What setup() returns: one token for the run and the catalog's ids, low-stock ones kept out of checkouts. */
/** @typedef {{ token: string, productIds: string[], plentifulIds: string[] }} SetupData */

/** @param {Knobs} knobs */
const out = (knobs) => ({ jaegerUrl: String(knobs.JAEGER_URL), logTraces: knobs.LOG_TRACES === 'true' });

/** One request of a task, checked. @param {Definition} def @param {Knobs} knobs @param {string} task @param {SetupData} data */
export function runTask(def, knobs, task, data) {
  const draws = draw(def, data);
  const req = requestOf(def, task, draws);
  /** @type {Record<string, string>} */
  const headers = {};
  if (req.body !== undefined) headers['content-type'] = 'application/json';
  if (req.auth) headers.authorization = `Bearer ${data.token}`;
  const name = def.tasks[task].name;
  const { ctx, params } = traced(task, Number(knobs.TRACE_SAMPLED), { headers, tags: name ? { name } : {} });
  const body = req.body === undefined ? null : JSON.stringify(req.body);
  const res = http.request(req.method, `${knobs.BASE_URL}${req.path}`, body, params);
  const results = runChecks(def, task, draws, {
    status: res.status,
    json: () => res.json(),
    header: (h) => String(Object.entries(res.headers).find(([k]) => k.toLowerCase() === h)?.[1] ?? ''),
  });
  checkTraced(res, task, ctx, results, out(knobs));
  return res;
}

/**
 * What every script's setup() returns: one token (a login as the first demo user, or TOKEN) and
 * the catalog's product ids, with the low-stock ones kept out of checkouts.
 * @param {Definition} def @param {Knobs} knobs @returns {SetupData}
 */
export function prepare(def, knobs) {
  const base = String(knobs.BASE_URL);
  let token = String(knobs.TOKEN);
  if (!token) {
    const res = http.post(`${base}/api/auth/login`, JSON.stringify(def.data.demoUsers[0]), {
      headers: { 'content-type': 'application/json' },
      tags: { name: 'setup: login' },
    });
    if (res.status !== 200) throw new Error(`setup: login failed with HTTP ${res.status}; is the shop up at ${base}?`);
    token = String(res.json('access_token'));
  }
  const res = http.get(`${base}/api/products`, { tags: { name: 'setup: catalog' } });
  if (res.status !== 200) throw new Error(`setup: GET /api/products answered HTTP ${res.status}`);
  const items = /** @type {{ id: string, sku: string, available: number }[]} */ (res.json('items'));
  const plentiful = items.filter((p) => !def.data.lowStockSkus.includes(p.sku) && p.available > def.data.plentifulAbove);
  if (plentiful.length === 0) throw new Error('setup: no product with plenty of stock to buy');
  return { token, productIds: items.map((p) => p.id), plentifulIds: plentiful.map((p) => p.id) };
}
