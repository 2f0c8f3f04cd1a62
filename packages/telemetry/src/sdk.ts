// The OpenTelemetry SDK and the instrumentations, loaded only when telemetry is on. Assembled here
// from its parts rather than with @opentelemetry/sdk-node, which loads every exporter it could be
// configured with (gRPC among them) before it reads one variable: a third of a service's start-up.
// What is loaded is what the configuration asks for, and nothing else.
import {
  context,
  createNoopMeter,
  DiagConsoleLogger,
  DiagLogLevel,
  diag,
  logs,
  type MeterProvider as MeterProviderApi,
  metrics,
  propagation,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  osDetector,
  processDetector,
  type Resource,
} from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR, EVENT } from './attributes';
import { BaggageToAttributes } from './baggage';
import type { TelemetryConfig } from './config';
import { SwitchablePropagator } from './propagation';
import { maskedSecrets, redactedQuery } from './redact';
import { recordRuntimeMetrics } from './runtime';
import { RESPONSE_ERROR, type ResponseError } from './spans';
import { installSdk } from './state';

const NOOP_METER_PROVIDER: MeterProviderApi = { getMeter: () => createNoopMeter() };

const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
// The gateway's fault controls: turning a fault on is the learner's doing, not shop traffic, and
// its traces would crowd the shop's in Jaeger (the console calls them often).
const UNTRACED_PREFIXES = ['/admin'];

/**
 * When a server span ends. One whose caller hung up before the answer was sent would read 200 (an
 * unsent response's default status): it gets 499 instead, nginx's "client closed request", and an
 * event. One answered with an error gets back the error type its handler chose, and one answered
 * with a 5xx the status message of the error that failed it (for a 4xx the instrumentation sets
 * no status, which leaves the handler's).
 */
const answered = (span: Span, _req: unknown, res: object) => {
  // A client span's "response" is an IncomingMessage: neither headersSent nor an error.
  const response = res as { headersSent?: boolean; statusCode?: number; [RESPONSE_ERROR]?: ResponseError };
  const error = response[RESPONSE_ERROR];
  if (response.headersSent === false) {
    span.setAttribute('http.response.status_code', 499);
    span.addEvent(EVENT.CALLER_HUNG_UP);
  } else if (error) {
    span.setAttribute(ATTR.ERROR_TYPE, error.type);
    if (error.message !== undefined && (response.statusCode ?? 0) >= 500)
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
  }
};

/**
 * What a server span records of the request's target, client input: a query string's names with
 * every value REDACTED (the instrumentation redacts a few signature keys only, and no route of the
 * shop reads a query parameter), and a path with any token or card number in it masked. Given as
 * the span's start attributes, they replace the instrumentation's own before anything reads them.
 */
function redactedTarget(req: { url?: string }): Record<string, string> {
  const url = req.url ?? '';
  const at = url.indexOf('?');
  const path = at < 0 ? url : url.slice(0, at);
  const attributes: Record<string, string> = {};
  const masked = maskedSecrets(path);
  if (masked !== path) attributes['url.path'] = masked;
  if (at >= 0 && at < url.length - 1) attributes['url.query'] = redactedQuery(url.slice(at + 1));
  return attributes;
}

const untraced = (url = '') => {
  const path = url.split('?')[0];
  return UNTRACED_PATHS.has(path) || UNTRACED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`));
};

/** OTEL_TRACES_SAMPLER and its argument, as the specification names them. */
function sampler(config: TelemetryConfig): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(config.OTEL_TRACES_SAMPLER_ARG ?? 1);
  switch (config.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    default:
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

type Exporters = typeof import('@opentelemetry/exporter-trace-otlp-proto') &
  typeof import('@opentelemetry/exporter-metrics-otlp-proto') &
  typeof import('@opentelemetry/exporter-logs-otlp-proto');

// The exporters of each protocol, required only when used: each reads its OTEL_EXPORTER_OTLP_*
// variables. The gRPC ones have the same names and constructors as the protobuf-over-HTTP ones.
const EXPORTERS: Record<TelemetryConfig['OTEL_EXPORTER_OTLP_PROTOCOL'], Record<'trace' | 'metrics' | 'logs', () => Exporters>> = {
  'http/protobuf': {
    trace: () => require('@opentelemetry/exporter-trace-otlp-proto'),
    metrics: () => require('@opentelemetry/exporter-metrics-otlp-proto'),
    logs: () => require('@opentelemetry/exporter-logs-otlp-proto'),
  },
  grpc: {
    trace: () => require('@opentelemetry/exporter-trace-otlp-grpc'),
    metrics: () => require('@opentelemetry/exporter-metrics-otlp-grpc'),
    logs: () => require('@opentelemetry/exporter-logs-otlp-grpc'),
  },
};

/** Log records go out over OTLP only where something reads them (Loki in compose). */
function loggerProvider(config: TelemetryConfig, resource: Resource) {
  if (config.OTEL_LOGS_EXPORTER !== 'otlp') return undefined;
  const { BatchLogRecordProcessor, LoggerProvider } = require('@opentelemetry/sdk-logs') as typeof import('@opentelemetry/sdk-logs');
  return new LoggerProvider({
    resource,
    logRecordLimits: { attributeValueLengthLimit: config.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT },
    processors: [new BatchLogRecordProcessor({ exporter: new (EXPORTERS[config.OTEL_EXPORTER_OTLP_PROTOCOL].logs().OTLPLogExporter)() })],
  });
}

export function startSdk(config: TelemetryConfig): void {
  // Why spans do not arrive (an exporter that cannot connect, a full queue) is told here, when asked.
  if (config.OTEL_LOG_LEVEL)
    diag.setLogger(new DiagConsoleLogger(), { logLevel: DiagLogLevel[config.OTEL_LOG_LEVEL.toUpperCase() as keyof typeof DiagLogLevel] });
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  propagation.setGlobalPropagator(new SwitchablePropagator());

  // The SDK's own attributes (telemetry.sdk.*), then OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES
  // (env), the host, the OS and the process.
  const resource = defaultResource().merge(detectResources({ detectors: [envDetector, hostDetector, osDetector, processDetector] }));
  const load = EXPORTERS[config.OTEL_EXPORTER_OTLP_PROTOCOL];

  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: new (load.metrics().OTLPMetricExporter)(),
        exportIntervalMillis: config.OTEL_METRIC_EXPORT_INTERVAL,
      }),
    ],
  });
  metrics.setGlobalMeterProvider(meterProvider);

  const tracerProvider = new TracerProvider({
    resource,
    sampler: sampler(config),
    spanLimits: { attributeValueLengthLimit: config.OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT },
    spanProcessors: [
      new BaggageToAttributes(),
      new BatchSpanProcessor({
        exporter: new (load.trace().OTLPTraceExporter)(),
        scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY,
        maxQueueSize: config.OTEL_BSP_MAX_QUEUE_SIZE,
        maxExportBatchSize: config.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
      }),
    ],
  });
  trace.setGlobalTracerProvider(tracerProvider);

  const logProvider = loggerProvider(config, resource);
  if (logProvider) logs.setGlobalLoggerProvider(logProvider);

  // No pool-connect spans: one per query, they double the spans and tell nothing new.
  const pg = new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true, ignoreConnectSpans: true });
  registerInstrumentations({
    tracerProvider,
    meterProvider,
    loggerProvider: logProvider,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => untraced(req.url),
        startIncomingSpanHook: redactedTarget,
        applyCustomAttributesOnSpan: answered,
      }),
      // No express instrumentation: its layer spans only repeat the server span, and patching every
      // layer cost CPU on every request. The service frame names the server span after its route
      // (service-kit's namedRoute).
      new UndiciInstrumentation(),
      pg,
      // `TRACE_CONSUME_AS=link` starts a new trace per consumed message, linked to the publish
      // span, instead of continuing the publisher's trace (docs/tracing.md shows both).
      new AmqplibInstrumentation({ useLinksForConsume: config.TRACE_CONSUME_AS === 'link' }),
      new PinoInstrumentation({ disableLogSending: !logProvider }),
    ],
  });
  recordRuntimeMetrics(meterProvider);
  // The pg instrumentation's query duration and connection metrics are read by nothing (queries are
  // timed by their spans, and the Collector's span metrics count them), and recording them cost CPU
  // on every query and every pool event.
  pg.setMeterProvider(NOOP_METER_PROVIDER);

  installSdk({
    shutdown: async () => {
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), logProvider?.shutdown()]);
      contextManager.disable();
    },
  });
}
