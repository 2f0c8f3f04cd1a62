import path from 'node:path';
import { dotenv, REPO_ROOT } from '@tracequest/stack';

/**
 * Where the shop and its backends are, and the admin token: the repo's .env (when there is one)
 * under the environment. Natively everything is on loopback; compose passes its host names.
 */
export function labSettings(env: NodeJS.ProcessEnv = process.env) {
  const all: Record<string, string | undefined> = { ...dotenv(), ...env };
  const local = (port: string | undefined, fallback: number) => `http://127.0.0.1:${port ?? fallback}`;
  return {
    gatewayUrl: all.GATEWAY_URL ?? local(all.GATEWAY_PORT, 8080),
    adminToken: all.ADMIN_TOKEN ?? '',
    jaegerUrl: all.JAEGER_URL ?? local(all.JAEGER_UI_PORT, 16686),
    /** The Collector's span metrics (Prometheus format), natively; Prometheus in compose. */
    spanMetricsUrl: all.SPAN_METRICS_URL ?? `${local(all.COLLECTOR_PROMETHEUS_PORT, 8889)}/metrics`,
    /** Compose only: set there, absent natively. */
    prometheusUrl: all.PROMETHEUS_URL,
    tempoUrl: all.TEMPO_URL,
    lokiUrl: all.LOKI_URL,
    /** Natively the services' logs are files here; in compose they are in Loki. */
    logsDir: all.LOGS_DIR ?? path.join(REPO_ROOT, '.run', 'logs'),
    progressFile: all.QUEST_PROGRESS_FILE ?? path.join(REPO_ROOT, '.run', 'quests.json'),
    questsDir: all.QUESTS_DIR ?? path.join(REPO_ROOT, 'docs', 'quests'),
  };
}
export type LabSettings = ReturnType<typeof labSettings>;
