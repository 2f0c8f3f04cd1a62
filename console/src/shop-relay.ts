import { checkoutBudgetMs } from '@tracequest/contracts';
import express, { Router } from 'express';
import type { Config } from './config';
import { pick, relay } from './relay';

/** What a shop request carries to the gateway: its body, the shopper's token and the browser's trace context. */
const FORWARDED = ['accept', 'content-type', 'authorization', 'traceparent', 'tracestate', 'baggage', 'x-request-id'] as const;
/** What comes back: the trace id of the answer (traceresponse) and the request id. */
const RETURNED = ['traceresponse', 'x-request-id'] as const;

/** The shop's public API under /api, relayed to the gateway as the browser sent it. */
export function shopRelay(config: Config): Router {
  const gateway = { name: 'the gateway', url: config.GATEWAY_URL, timeoutMs: config.UPSTREAM_TIMEOUT_MS };
  // A checkout answers once order's saga is done, which may take many of its calls' timeouts (a hung
  // payment: the charge times out, then the void). The gateway gives it that long; so does the
  // console, or it would answer 504 with no trace id while the gateway's own answer is on its way.
  const checkout = { ...gateway, timeoutMs: checkoutBudgetMs(config.UPSTREAM_TIMEOUT_MS) + 1_000 };
  const r = Router();
  r.use('/api', express.raw({ type: () => true, limit: '64kb' }), (req, res) =>
    relay(res, req.method === 'POST' && req.path === '/orders' ? checkout : gateway, {
      method: req.method,
      path: req.originalUrl,
      headers: pick(req.headers, FORWARDED),
      body: Buffer.isBuffer(req.body) ? req.body : undefined,
      passBack: RETURNED,
    }),
  );
  return r;
}
