import { z } from 'zod';

const count = z.coerce.number().int().min(0).optional();

/**
 * The variables the preloaded SDK reads beyond the standard exporter ones, checked before anything
 * starts. OTEL_SDK_DISABLED is case-insensitive, as the specification says: only "true" disables.
 */
export const telemetryConfigSchema = z.object({
  OTEL_SDK_DISABLED: z
    .string()
    .optional()
    .transform((v) => v?.trim().toLowerCase() === 'true'),
  /** How spans travel to the Collector: OTLP over gRPC (:4317) or protobuf over HTTP (:4318). */
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['grpc', 'http/protobuf']).default('http/protobuf'),
  /** otlp: log lines are also exported to the Collector; none: they stay in stdout. */
  OTEL_LOGS_EXPORTER: z.enum(['otlp', 'none', 'console']).default('otlp'),
  /** child: a consumed message continues the publisher's trace; link: it starts a new trace, linked. */
  TRACE_CONSUME_AS: z.enum(['child', 'link']).default('child'),
  /** The longest attribute value a span keeps (the SDK cuts longer ones); read by the SDK itself. */
  OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: count,
  OTEL_BSP_SCHEDULE_DELAY: count,
  OTEL_BSP_MAX_QUEUE_SIZE: count,
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count,
});
export type TelemetryConfig = z.infer<typeof telemetryConfigSchema>;

/** The config, or a message naming every bad variable. */
export function readTelemetryConfig(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const result = telemetryConfigSchema.safeParse(env);
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
  throw new Error(`invalid telemetry configuration:\n${lines.join('\n')}`);
}
