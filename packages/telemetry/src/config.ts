import { z } from 'zod';

const count = z.coerce.number().int().min(0).optional();

/**
 * The variables the preloaded SDK reads (the exporters read their own OTEL_EXPORTER_OTLP_* ones),
 * checked before anything starts: a misspelt sampler stops the service instead of being ignored.
 * OTEL_SDK_DISABLED is case-insensitive, as the specification says: only "true" disables. An empty
 * value counts as unset, as the specification says too (compose passes `OTEL_TRACES_SAMPLER=` on).
 */
export const telemetryConfigSchema = z.object({
  OTEL_SDK_DISABLED: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() === 'true'),
  /** How spans travel to the Collector: OTLP over gRPC (:4317) or protobuf over HTTP (:4318). */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['grpc', 'http/protobuf']).default('http/protobuf'),
  /** otlp: log lines are also exported to the Collector; none: they stay in stdout only. */
  OTEL_LOGS_EXPORTER: z.enum(['otlp', 'none']).default('otlp'),
  /** Head sampling, decided where a trace starts: the specification's sampler names. */
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  /** The ratio of the *traceidratio samplers, from 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
  /** The SDK's own diagnostics in the service's output (failed exports, dropped spans): none unless set. */
  OTEL_LOG_LEVEL: z
    .string()
    .transform((v) => v.trim().toLowerCase())
    .pipe(z.enum(['none', 'error', 'warn', 'info', 'debug', 'verbose', 'all']))
    .optional(),
  /** child: a consumed message continues the publisher's trace; link: it starts a new trace, linked. */
  TRACE_CONSUME_AS: z.enum(['child', 'link']).default('child'),
  /** The longest attribute value a span keeps (the SDK cuts longer ones); read by the SDK itself. */
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: count,
  OTEL_BSP_SCHEDULE_DELAY: count,
  /** How often metrics go to the Collector, in ms (the SDK's default: 60 s). */
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().min(1).optional(),
  OTEL_BSP_MAX_QUEUE_SIZE: count,
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count,
});
export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;

/** The config, or a message naming every bad variable. */
export function readTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v?.trim()));
  const result = telemetryConfigSchema.safeParse(set);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid telemetry configuration:\n${lines.join('\n')}`);
}
