import { secretFrom } from '@tracequest/lab';
import { z } from 'zod';

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
/** An address that may be left out: unset or empty means "not there" (Jaeger's UI and Grafana natively). */
const optionalUrl = z.preprocess((v) => (v === '' ? undefined : v), z.url().optional());

export const configSchema = z
  .object({
    CONSOLE_PORT: port(8090),
    /** 127.0.0.1 natively; 0.0.0.0 in a container, whose port compose publishes on 127.0.0.1 only. */
    CONSOLE_LISTEN_HOST: z.string().min(1).default('127.0.0.1'),
    /** The address the browser opens. Requests naming another host are refused (DNS rebinding). */
    CONSOLE_ORIGIN: optionalUrl,
    GATEWAY_URL: z.url().default('http://127.0.0.1:8080'),
    /** Jaeger's query API, as the console server reaches it. */
    JAEGER_QUERY_URL: z.url().default('http://127.0.0.1:16686'),
    /** The gateway's admin API (its own listener), and its token: held here, never sent to the browser. */
    ADMIN_URL: z.url().default('http://127.0.0.1:8079'),
    ADMIN_TOKEN: z
      .string({ error: 'is not set: it is generated on the first npm start (.env.local) or docker compose up' })
      .min(32, 'must be at least 32 characters'),
    /** Where the browser sends its spans (the Collector's OTLP/HTTP receiver); empty turns browser tracing off. */
    BROWSER_OTLP_ENDPOINT: z.preprocess((v) => (v === undefined ? 'http://127.0.0.1:4318' : v), z.union([z.literal(''), z.url()])),
    /** Links out, shown only when set: Jaeger's own UI and Grafana (compose has them, the native run does not). */
    JAEGER_UI_URL: optionalUrl,
    GRAFANA_URL: optionalUrl,
    /** The Collector's span metrics (its Prometheus endpoint), which the Metrics tab reads. */
    SPAN_METRICS_URL: z.url().default('http://127.0.0.1:8889/metrics'),
    /** Where the services' log files are (the native run); unset in compose, whose logs are in Loki. */
    LOGS_DIR: z.preprocess((v) => (v === '' ? undefined : v), z.string().optional()),
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** What drops traces (quest 11), told on the Traces tab: the services' head sampler, the Collector's overlay. */
    OTEL_TRACES_SAMPLER: z.string().optional(),
    OTEL_TRACES_SAMPLER_ARG: z.string().optional(),
    OTELCOL_EXTRA_CONFIG: z.string().optional(),
  })
  .transform((c) => ({ ...c, CONSOLE_ORIGIN: new URL(c.CONSOLE_ORIGIN ?? `http://127.0.0.1:${c.CONSOLE_PORT}`).origin }));

export type Config = z.infer<typeof configSchema>;

/** The typed config; a bad or missing value stops the console with the variable's name. */
export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse({ ...source, ADMIN_TOKEN: secretFrom(source, 'ADMIN_TOKEN') });
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`invalid configuration:\n${lines.join('\n')}`);
}
