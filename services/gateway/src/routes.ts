import { checkoutBudgetMs, HEADER } from '@tracequest/contracts';
import { type HttpClient, pathId, requireCaller, type TokenVerifier } from '@tracequest/service-kit';
import { type Request, type Response, Router } from 'express';
import type { Clients } from './clients';

/**
 * Relays a call to the service that owns it; its JSON and status come back unchanged. On a private
 * route the user's token goes along, and the service behind verifies it again itself. The client's
 * address goes along as x-forwarded-for, taken from the socket: whatever the client sent in that
 * header is never forwarded, so auth can count failed logins by it.
 */
async function relay(client: HttpClient, method: string, path: string, req: Request, res: Response, timeoutMs?: number) {
  const headers = {
    [HEADER.REQUEST_ID]: res.locals.requestId as string,
    [HEADER.FORWARDED_FOR]: req.socket.remoteAddress,
    // A checkout's Idempotency-Key goes on to order, which keeps it per user.
    [HEADER.IDEMPOTENCY_KEY]: req.get(HEADER.IDEMPOTENCY_KEY),
  };
  const body = method === 'GET' ? undefined : (req.body ?? {});
  const { status, data } = await client.call(method, path, { body, headers, timeoutMs });
  res.status(status).json(data);
}

export function routes(clients: Clients, verifier: TokenVerifier): Router {
  const r = Router();
  const auth = requireCaller(verifier, { users: true });
  // Order shares UPSTREAM_TIMEOUT_MS: a checkout may take all of its calls' timeouts, so wait that long.
  const checkoutTimeoutMs = checkoutBudgetMs(clients.order.timeoutMs);
  r.post('/api/auth/register', (req, res) => relay(clients.auth, 'POST', '/register', req, res));
  r.post('/api/auth/login', (req, res) => relay(clients.auth, 'POST', '/login', req, res));
  r.get('/api/products', (req, res) => relay(clients.inventory, 'GET', '/products', req, res));
  r.get('/api/products/:id', (req, res) => relay(clients.inventory, 'GET', `/products/${pathId(req, 'product')}`, req, res));
  r.post('/api/orders', auth, (req, res) => relay(clients.order, 'POST', '/orders', req, res, checkoutTimeoutMs));
  r.get('/api/orders', auth, (req, res) => relay(clients.order, 'GET', '/orders', req, res));
  r.get('/api/orders/:id', auth, (req, res) => relay(clients.order, 'GET', `/orders/${pathId(req, 'order')}`, req, res));
  return r;
}
