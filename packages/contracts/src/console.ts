import { z } from 'zod';

/**
 * console server -> its page, inline in index.html: where the page's surroundings are. Addresses
 * only: the console server holds every secret (the admin token) itself.
 */
export const consolePageConfig = z.object({
  /** Where the browser exports its spans (the Collector's OTLP/HTTP receiver), or null when off. */
  otlpTracesUrl: z.url().nullable(),
  /** Jaeger's own UI and Grafana, when the stack has them (compose); null natively. */
  jaegerUiUrl: z.url().nullable(),
  grafanaUrl: z.url().nullable(),
  /** What drops traces in this stack (a head sampler, the Collector's tail sampling), or null when every trace is kept. */
  sampling: z.string().nullable(),
  /** The baggage keys the services carry on and copy onto every span (the rest are dropped). */
  baggageKeys: z.array(z.string()),
});
export type ConsolePageConfig = z.infer<typeof consolePageConfig>;

/**
 * console server -> its page: the Collector's span metrics (RED per service and route), summed
 * over every other dimension. Counts are cumulative since the Collector started.
 */
export const spanMetricsView = z.object({
  /** The histogram's bucket bounds, in ms (the last bucket, past them all, is implied). */
  boundsMs: z.array(z.number()),
  routes: z.array(
    z.object({
      service: z.string(),
      /** The span's name: for a server span, the method and route (`POST /orders`). */
      name: z.string(),
      kind: z.enum(['server', 'consumer']),
      calls: z.number(),
      errors: z.number(),
      /** Calls at or under each bound, in the order of boundsMs (cumulative, as Prometheus has them). */
      atMost: z.array(z.number()),
      /** The slowest exemplars the last flush kept (a request's trace, for a bucket), slowest first. */
      exemplars: z.array(z.object({ traceId: z.string(), spanId: z.string().nullable(), ms: z.number() })),
    }),
  ),
});
export type SpanMetricsView = z.infer<typeof spanMetricsView>;

/**
 * console server -> its page: the services' log lines of one trace, or found by a search (natively,
 * from their log files). source is null where the logs are not files the console reads (compose: Loki).
 */
export const traceLogsView = z.object({
  source: z.literal('files').nullable(),
  lines: z.array(
    z.object({
      service: z.string(),
      /** ms since the epoch. */
      time: z.number(),
      level: z.string(),
      msg: z.string(),
      traceId: z.string().nullable(),
      spanId: z.string().nullable(),
      /** The line's other fields (method, path, status, duration_ms, provider_ref, ...). */
      fields: z.record(z.string(), z.unknown()),
    }),
  ),
});
export type TraceLogsView = z.infer<typeof traceLogsView>;
