// The OpenTelemetry SDK and the instrumentations, loaded only when telemetry is on: loading them
// takes a good part of a service's start-up.
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { RuntimeNodeInstrumentation } from '@opentelemetry/instrumentation-runtime-node';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace';
import { BaggageToAttributes } from './baggage';
import type { TelemetryConfig } from './config';
import { SwitchablePropagator } from './propagation';
import { installSdk } from './state';

const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
// The gateway's fault controls: turning a fault on is the learner's doing, not shop traffic, and
// its traces would crowd the shop's in Jaeger (the console calls them often).
const UNTRACED_PREFIXES = ['/admin'];

const untraced = (url = '') => {
  const path = url.split('?')[0];
  return UNTRACED_PATHS.has(path) || UNTRACED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
};

export function startSdk(config: TelemetryConfig): void {
  const sdk = new NodeSDK({
    textMapPropagator: new SwitchablePropagator(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => untraced(req.url),
      }),
      // No layer spans at all: a span per middleware, router and handler only repeats the server
      // span. The instrumentation still names the server span after its route.
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER, ExpressLayerType.REQUEST_HANDLER],
      }),
      new UndiciInstrumentation(),
      // No pool-connect spans: one per query, they double the spans and tell nothing new.
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true }),
      // `TRACE_CONSUME_AS=link` starts a new trace per consumed message, linked to the publish
      // span, instead of continuing the publisher's trace (docs/tracing.md shows both).
      new AmqplibInstrumentation({ useLinksForConsume: config.TRACE_CONSUME_AS === 'link' }),
      // Log lines go out over OTLP only where something reads them (Loki in compose).
      new PinoInstrumentation({ disableLogSending: config.OTEL_LOGS_EXPORTER === 'none' }),
      new RuntimeNodeInstrumentation(),
    ],
    spanProcessors: [
      new BaggageToAttributes(),
      new BatchSpanProcessor({
        exporter: config.OTEL_EXPORTER_OTLP_PROTOCOL === 'grpc' ? new GrpcTraceExporter() : new ProtoTraceExporter(),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
        maxExportBatchSize: config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
      }),
    ],
  });
  installSdk(sdk);
  sdk.start();
}
