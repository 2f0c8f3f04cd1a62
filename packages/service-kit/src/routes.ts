// What the router knows about a path, asked from outside it: the methods served there, and the
// route a request matches (express exposes its stack; its types only in part).
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { RequestHandler } from 'express';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: unknown;
  match(path: string): boolean;
}
interface Stack {
  stack: unknown[];
}
const isRouter = (h: unknown): h is Stack => typeof h === 'function' && Array.isArray((h as { stack?: unknown }).stack);

/** The route layers whose path matches, routers mounted at the root searched too. */
function* matching(router: Stack, path: string): Generator<NonNullable<Layer['route']>> {
  for (const layer of router.stack as Layer[]) {
    if (layer.route) {
      if (layer.match(path)) yield layer.route;
    } else if (isRouter(layer.handle) && layer.match(path)) yield* matching(layer.handle, path);
  }
}

/** The methods some route answers at this path, HEAD with GET. */
export function allowedMethods(router: Stack, path: string): string[] {
  const found = new Set<string>();
  for (const route of matching(router, path)) for (const m of Object.keys(route.methods)) found.add(m.toUpperCase());
  if (found.has('GET')) found.add('HEAD');
  return [...found];
}

/** The route ("/reservations/:id/commit") a request will match, before routing reaches it. */
export function routeOf(router: Stack, method: string, path: string): string | undefined {
  const m = method.toLowerCase();
  for (const route of matching(router, path)) if (route.methods[m] || (m === 'head' && route.methods.get)) return route.path;
  return undefined;
}

/**
 * Names the request's server span after its route (`POST /orders/:id/fulfilment`, not `POST`), and
 * gives it `http.route`, before anything can answer it: a fault, an error, a caller who hangs up.
 * The http instrumentation reads the route when the span ends. Telemetry off, there is nothing to
 * name and the router is not searched.
 */
export function namedRoute(router: Stack): RequestHandler {
  return (req, _res, next) => {
    const metadata = getRPCMetadata(context.active());
    if (metadata?.type === RPCType.HTTP) metadata.route = routeOf(router, req.method, req.path);
    next();
  };
}
