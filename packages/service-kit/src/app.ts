import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Faults } from '@tracequest/faults';
import { type Logger, maskedSecrets } from '@tracequest/telemetry';
import express, { type Express, type RequestHandler, type Router } from 'express';
import { AppError, errorMiddleware, unmatchedRoutes } from './errors';
import { faultMiddleware } from './faults';
import { namedRoute } from './routes';

export type ReadinessCheck = () => Promise<unknown>;

export interface ServiceAppOptions {
  logger: Logger;
  routes: Router;
  /** Dependencies that must answer for /readyz to say ready (db, broker, ...). */
  readiness?: Record<string, ReadinessCheck>;
  bodyLimit?: string;
  /** Middleware that must run before the body is parsed (so it sees bad requests too). */
  before?: RequestHandler[];
  /** Runtime faults (latency, error, dependency_timeout) applied to every route; /healthz says which flags file is loaded. */
  faults?: Faults;
  /** false: the faults are not applied to requests (the worker's work is not HTTP, it faults its messages). */
  faultRequests?: boolean;
  /** Routes that faults never touch, so a fault cannot lock out the controls (the gateway's /admin). */
  admin?: Router;
}

const READY_TIMEOUT_MS = 1000;

async function check(fn: ReadinessCheck): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS);
  });
  try {
    await Promise.race([fn(), timeout]);
    return 'ok';
  } catch (err) {
    return `error: ${(err as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}

/** One line per request, written in the request's trace context so it carries trace_id and span_id. */
function accessLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const ctx = context.active();
    res.on('finish', () =>
      context.with(ctx, () =>
        logger.info(
          {
            method: req.method,
            // A path is client input: a token or a card number typed into one is masked.
            path: maskedSecrets(req.originalUrl.split('?')[0]),
            status: res.statusCode,
            duration_ms: Math.round(performance.now() - started),
          },
          'request',
        ),
      ),
    );
    next();
  };
}

/** A request that carries a body must say it is JSON: nothing else is parsed, or guessed at. */
const jsonOnly: RequestHandler = (req, _res, next) => {
  const length = Number(req.get('content-length') ?? 0);
  const hasBody = length > 0 || req.get('transfer-encoding') !== undefined;
  if (hasBody && !req.is('application/json'))
    return next(new AppError(415, 'unsupported_media_type', 'a request body must be sent as content-type: application/json'));
  next();
};

/** Deeper than any body the shop takes: a deeper one is refused before anything walks it again. */
const MAX_BODY_DEPTH = 32;

function depthOf(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > MAX_BODY_DEPTH) return deepest;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const shallowBody: RequestHandler = (req, _res, next) =>
  next(
    depthOf(req.body) > MAX_BODY_DEPTH
      ? new AppError(400, 'invalid_json', `request body is nested deeper than ${MAX_BODY_DEPTH} levels`)
      : undefined,
  );

/** The frame every service shares: JSON body parsing, health routes, its routes, the one error path. */
export function createServiceApp({
  logger,
  routes,
  readiness = {},
  bodyLimit = '32kb',
  before = [],
  faults,
  faultRequests = true,
  admin,
}: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // No ETag: every answer here is fresh JSON that no client revalidates, and hashing each body to
  // make one cost 60 to 80 µs of a JSON request's 360 to 430 (docs/performance.md).
  app.disable('etag');
  app.set('query parser', 'simple');
  // `faults`: the flags file this process has loaded (its hash, not what it holds), so a caller can
  // wait until every service applied a change.
  app.get('/healthz', (_req, res) => void res.json(faults ? { status: 'ok', faults: faults.version } : { status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const names = Object.keys(readiness);
    // Probes run every few seconds: keep their own calls out of the traces.
    const results = await context.with(suppressTracing(context.active()), () => Promise.all(names.map((n) => check(readiness[n]))));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ready = results.every((r) => r === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.use(accessLog(logger));
  app.use(namedRoute(app.router));
  // OPTIONS is answered from the routes' own methods, before anything would parse or fault it.
  const { options, unmatched } = unmatchedRoutes(app);
  app.use(options);
  for (const mw of before) app.use(mw);
  app.use(jsonOnly);
  // No compressed bodies (415): no client of the shop sends one, and none is inflated to find out.
  app.use(express.json({ limit: bodyLimit, strict: true, inflate: false }));
  app.use(shallowBody);
  if (admin) app.use(admin);
  if (faults && faultRequests) app.use(faultMiddleware(faults));
  app.use(routes);
  app.use(unmatched);
  app.use(errorMiddleware(logger));
  return app;
}
