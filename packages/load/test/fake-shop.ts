// A stand-in for the gateway on a free loopback port: the five task endpoints, answers slowed or
// failed on demand, and every request it received with its trace headers and arrival time.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  path: string;
  traceparent?: string;
  baggage?: string;
  authorization?: string;
  body: any;
  at: number;
}

export interface FakeShop {
  url: string;
  seen: Seen[];
  /** Every answer waits this long; orders answer this status instead of 201 when set. */
  set(o: { delayMs?: number; orderStatus?: number }): void;
  close(): Promise<void>;
}

const PRODUCTS = [
  { id: 'p-plenty', sku: 'TQ-001', available: 50_000 },
  { id: 'p-low-sku', sku: 'TQ-006', available: 50_000 },
  { id: 'p-few', sku: 'TQ-002', available: 3 },
];

export async function startFakeShop(): Promise<FakeShop> {
  const seen: Seen[] = [];
  let delayMs = 0;
  let orderStatus = 201;
  let logins = 0;
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };
  const route = (req: IncomingMessage, res: ServerResponse) => {
    const authed = /^Bearer tok-\d+$/.test(req.headers.authorization ?? '');
    const path = req.url ?? '';
    if (req.method === 'POST' && path === '/api/auth/login')
      return answer(res, 200, { access_token: `tok-${++logins}`, token_type: 'Bearer' });
    if (req.method === 'GET' && path === '/api/products') return answer(res, 200, { items: PRODUCTS });
    if (req.method === 'GET' && path.startsWith('/api/products/')) return answer(res, 200, { id: path.split('/').pop() });
    if (!authed) return answer(res, 401, { error: { code: 'unauthenticated' } });
    if (req.method === 'POST' && path === '/api/orders')
      return answer(res, orderStatus, { id: 'o-1', status: orderStatus === 201 ? 'paid' : 'failed' });
    if (req.method === 'GET' && path === '/api/orders') return answer(res, 200, { items: [] });
    answer(res, 404, {});
  };
  const server = createServer((req, res) => {
    const at = performance.now();
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => {
      const body = raw ? JSON.parse(raw) : undefined;
      const h = req.headers;
      seen.push({
        method: req.method!,
        path: req.url!,
        traceparent: h.traceparent as string,
        baggage: h.baggage as string,
        authorization: h.authorization,
        body,
        at,
      });
      setTimeout(() => route(req, res), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    set(o) {
      delayMs = o.delayMs ?? delayMs;
      orderStatus = o.orderStatus ?? orderStatus;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
