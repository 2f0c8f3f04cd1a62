import express, { type ErrorRequestHandler } from 'express';
import { adminRoutes } from './admin-routes';
import type { Config } from './config';
import { hostGuard, sameOriginOnly, securityHeaders } from './guard';
import { jaegerRoutes } from './jaeger-routes';
import { logRoutes } from './log-routes';
import { metricsRoutes } from './metrics-routes';
import { pageRoutes, WEB_DIR } from './page';
import { questRoutes } from './quest-routes';
import type { QuestBook } from './quests';
import { shopRelay } from './shop-relay';

export { BUNDLE_BUDGET_BYTES, type BundleFile, bundleFiles } from './bundle-size';
export { type Config, configSchema, readConfig } from './config';
export { pageConfig, WEB_DIR } from './page';
export { type QuestBook, stubQuestBook, UnknownQuest } from './quests';
export { forThePage, RunnerQuestBook } from './runner-quests';

export interface ConsoleDeps {
  config: Config;
  quests: QuestBook;
  webDir?: string;
  log?: (line: string) => void;
}

/** Builds the console's server; never listens (main.ts does, and the tests do). */
export function createConsoleApp({ config, quests, webDir = WEB_DIR, log = () => {} }: ConsoleDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(securityHeaders);
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () =>
      log(`${req.method} ${req.originalUrl.split('?')[0]} ${res.statusCode} ${Math.round(performance.now() - started)} ms`),
    );
    next();
  });
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', async (_req, res) => {
    const probe = (url: string) =>
      fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => (r.ok ? 'ok' : `error: ${r.status}`),
        (err: Error) => `error: ${err.message}`,
      );
    const checks = {
      gateway: await probe(`${config.GATEWAY_URL}/healthz`),
      jaeger: await probe(`${config.JAEGER_QUERY_URL}/api/services`),
    };
    const ready = Object.values(checks).every((c) => c === 'ok');
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks });
  });
  app.use(hostGuard(config.CONSOLE_ORIGIN));
  app.use(['/api', '/console'], sameOriginOnly(config.CONSOLE_ORIGIN));
  app.use(shopRelay(config));
  app.use(jaegerRoutes(config));
  app.use(metricsRoutes(config));
  app.use(logRoutes(config));
  app.use(adminRoutes(config));
  app.use(questRoutes(quests));
  app.use(pageRoutes(config, webDir));
  app.use((_req, res) => void res.status(404).json({ error: { code: 'not_found', message: 'no such page or endpoint' } }));
  const errors: ErrorRequestHandler = (err, _req, res, _next) => {
    const status = typeof err.status === 'number' && err.status < 500 ? err.status : 500;
    if (status === 500) log(`error: ${err.stack ?? err}`);
    res
      .status(status)
      .json({ error: { code: status === 500 ? 'internal' : 'bad_request', message: status === 500 ? 'internal error' : err.message } });
  };
  app.use(errors);
  return app;
}
