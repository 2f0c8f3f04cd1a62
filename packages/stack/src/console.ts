import { existsSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './env';
import { type Managed, startProcess, startScript, stopProcess, waitReady } from './process';

/**
 * The console: no telemetry preload (its own calls are not shop traffic), the gateway and Jaeger
 * on loopback, and no links to Jaeger's UI or Grafana, which the native run does not have.
 */
export async function startConsoleProcess(
  base: Record<string, string>,
  urls: { gateway: string; admin: string; jaeger?: string; collectorMetrics?: string },
  opts: { logDir: string; env?: Record<string, string>; detached?: boolean },
): Promise<Managed> {
  if (!existsSync(path.join(REPO_ROOT, 'console/dist/web/index.html')))
    throw new Error("the console's page is not built: run npm run build:console");
  const [cmd, ...args] = startScript('console');
  const p = startProcess('console', cmd === 'node' ? process.execPath : cmd, args, {
    cwd: path.join(REPO_ROOT, 'console'),
    env: {
      ...base,
      GATEWAY_URL: urls.gateway,
      ADMIN_URL: urls.admin,
      JAEGER_QUERY_URL: urls.jaeger!,
      BROWSER_OTLP_ENDPOINT: `http://127.0.0.1:${base.OTLP_HTTP_PORT}`,
      JAEGER_UI_URL: '',
      GRAFANA_URL: '',
      // The Quests tab's checks read what npm run quest reads: the span metrics and these logs.
      SPAN_METRICS_URL: urls.collectorMetrics!,
      LOGS_DIR: opts.logDir,
      NODE_OPTIONS: base.NODE_OPTIONS ?? base.SERVICE_NODE_OPTIONS ?? '',
      ...opts.env,
    },
    logDir: opts.logDir,
    detached: opts.detached,
  });
  try {
    await waitReady(`http://127.0.0.1:${base.CONSOLE_PORT ?? 8090}/readyz`, p);
  } catch (err) {
    await stopProcess(p);
    throw err;
  }
  return p;
}
