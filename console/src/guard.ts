import type { RequestHandler } from 'express';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

const refuse = (res: Parameters<RequestHandler>[1], code: string, message: string) => res.status(403).json({ error: { code, message } });

/**
 * Answers only requests addressed to the console's own origin, so a page whose name resolves to
 * 127.0.0.1 (DNS rebinding) gets nothing. Other loopback names for the same port are sent to the
 * origin: the browser's spans are allowed in by the Collector from that one origin only.
 */
export function hostGuard(origin: string): RequestHandler {
  const { host, port, protocol } = new URL(origin);
  const effectivePort = port || (protocol === 'https:' ? '443' : '80');
  const aliases = new Set(LOOPBACK.map((name) => `${name}:${effectivePort}`));
  return (req, res, next) => {
    const asked = req.get('host') ?? '';
    if (asked === host) return next();
    if (aliases.has(asked) && (req.method === 'GET' || req.method === 'HEAD')) return res.redirect(302, origin + req.originalUrl);
    refuse(res, 'unknown_host', `the console answers at ${origin}`);
  };
}

/**
 * The console's own endpoints hold the admin token and act with it, so only its own page may call
 * them: a request a browser marks as coming from another site or origin is refused before any
 * handler runs. (Clients that are not browsers send neither header, like the fault CLI.)
 */
export function sameOriginOnly(origin: string): RequestHandler {
  return (req, res, next) => {
    const site = req.get('sec-fetch-site');
    const from = req.get('origin');
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return refuse(res, 'cross_origin', `refused a ${site} request`);
    if (from !== undefined && from !== origin) return refuse(res, 'cross_origin', 'refused a request from another origin');
    if (req.method === 'OPTIONS') return refuse(res, 'cross_origin', 'no cross-origin access');
    next();
  };
}

/** Headers for everything served: no sniffing, no framing, nothing read by other origins' pages. */
export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
  next();
};
