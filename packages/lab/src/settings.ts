import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dotenv, REPO_ROOT } from '@tracequest/stack';

/** A secret given directly, or as NAME_FILE (compose keeps the generated ones in files on a volume). */
export function secretFrom(env: Record<string, string | undefined>, name: string): string | undefined {
  if (env[name]) return env[name];
  const file = env[`${name}_FILE`];
  return file ? readFileSync(file, 'utf8').trim() : undefined;
}

/**
 * Where the shop and its backends are, and the admin token: the repo's .env and .env.local (when there are)
 * under the environment. Natively everything is on loopback; compose passes its host names.
 */
export function labSettings(env: NodeJS.ProcessEnv = process.env) {
  const all: Record<string, string | undefined> = { ...dotenv(), ...env };
  const local = (port: string | undefined, fallback: number) => `http://127.0.0.1:${port ?? fallback}`;
  return {
    gatewayUrl: all.GATEWAY_URL ?? local(all.GATEWAY_PORT, 8080),
    /** The gateway's admin API: a listener of its own, on loopback (compose: the private network). */
    adminUrl: all.ADMIN_URL ?? local(all.ADMIN_PORT, 8079),
    adminToken: secretFrom(all, 'ADMIN_TOKEN') ?? '',
    jaegerUrl: all.JAEGER_URL ?? local(all.JAEGER_UI_PORT, 16686),
    /** The Collector's span metrics (Prometheus format), natively; Prometheus in compose. */
    spanMetricsUrl: all.SPAN_METRICS_URL ?? `${local(all.COLLECTOR_PROMETHEUS_PORT, 8889)}/metrics`,
    /** The Collector's OTLP/HTTP receiver, where quest 12's check sends a span of its own. */
    collectorUrl: all.COLLECTOR_OTLP_URL ?? local(all.OTLP_HTTP_PORT, 4318),
    /** Compose only: set there, absent natively. */
    prometheusUrl: all.PROMETHEUS_URL,
    tempoUrl: all.TEMPO_URL,
    lokiUrl: all.LOKI_URL,
    /** Natively the services' logs are files here; in compose they are in Loki. */
    logsDir: all.LOGS_DIR || path.join(REPO_ROOT, '.run', 'logs'),
    progressFile: all.QUEST_PROGRESS_FILE ?? path.join(REPO_ROOT, '.run', 'quests.json'),
    questsDir: all.QUESTS_DIR ?? path.join(REPO_ROOT, 'docs', 'quests'),
    /** How the learner runs the quest runner and the fault CLI here, for what they print (compose sets its own). */
    questCommand: all.QUEST_COMMAND ?? 'npm run quest --',
    faultCommand: all.FAULT_COMMAND ?? 'npm run fault --',
  };
}
export type LabSettings = ReturnType<typeof labSettings>;
