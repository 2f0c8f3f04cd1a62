import express, { type Express, type Router } from 'express';
import { type Logger } from '@tracequest/telemetry';
import { errorMiddleware, notFoundRoute } from './errors';

export type ReadinessCheck = () => Promise<unknown>;

export interface ServiceAppOptions {
  logger: Logger;
  routes: Router;
  /** Dependencies that must answer for /readyz to say ready (db, broker, ...). */
  readiness?: Record<string, ReadinessCheck>;
  bodyLimit?: string;
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

/** The frame every service shares: JSON body parsing, health routes, its routes, the one error path. */
export function createServiceApp({ logger, routes, readiness = {}, bodyLimit = '32kb' }: ServiceAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const names = Object.keys(readiness);
    const results = await Promise.all(names.map((n) => check(readiness[n])));
    const checks = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const ready = results.every((r) => r === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', checks });
  });
  app.use(express.json({ limit: bodyLimit, strict: true, type: () => true }));
  app.use(routes);
  app.use(notFoundRoute);
  app.use(errorMiddleware(logger));
  return app;
}
