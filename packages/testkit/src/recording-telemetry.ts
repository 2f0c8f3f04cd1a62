import { type Attributes, type Meter, metrics, type Span, type SpanStatus, type Tracer, trace } from '@opentelemetry/api';

export interface RecordedSpan {
  name: string;
  attributes: Attributes;
  events: { name: string; attributes?: Attributes }[];
  status?: SpanStatus;
}

/**
 * Installs a global tracer that keeps every span in memory, so a test can check the telemetry a
 * step emits without an SDK or a collector. Spans are not made active (no context manager).
 */
export function recordSpans(): RecordedSpan[] {
  const spans: RecordedSpan[] = [];
  const start = (name: string, options?: { attributes?: Attributes }): Span => {
    const rec: RecordedSpan = { name, attributes: { ...options?.attributes }, events: [] };
    spans.push(rec);
    const span = {
      spanContext: () => ({ traceId: `${'0'.repeat(31)}1`, spanId: `${'0'.repeat(15)}1`, traceFlags: 1 }),
      setAttribute: (k: string, v: unknown) => (Object.assign(rec.attributes, { [k]: v }), span),
      setAttributes: (a: Attributes) => (Object.assign(rec.attributes, a), span),
      addEvent: (n: string, a?: Attributes) => (rec.events.push({ name: n, attributes: a }), span),
      addLink: () => span,
      addLinks: () => span,
      setStatus: (s: SpanStatus) => ((rec.status = s), span),
      updateName: () => span,
      end: () => undefined,
      isRecording: () => true,
      recordException: (e: Error) => void rec.events.push({ name: 'exception', attributes: { 'exception.message': e.message } }),
    } as unknown as Span;
    return span;
  };
  const tracer = {
    startSpan: start,
    startActiveSpan: (name: string, ...rest: unknown[]) =>
      (rest.at(-1) as (s: Span) => unknown)(start(name, rest.length > 1 ? (rest[0] as { attributes?: Attributes }) : {})),
  } as unknown as Tracer;
  trace.setGlobalTracerProvider({ getTracer: () => tracer });
  return spans;
}

/** Installs a global meter whose counters keep every add() in memory, keyed by metric name. */
export function recordCounters(): Map<string, { value: number; attributes?: Attributes }[]> {
  const adds = new Map<string, { value: number; attributes?: Attributes }[]>();
  const meter = {
    createCounter: (name: string) => ({
      add: (value: number, attributes?: Attributes) => adds.set(name, [...(adds.get(name) ?? []), { value, attributes }]),
    }),
  } as unknown as Meter;
  metrics.setGlobalMeterProvider({ getMeter: () => meter });
  return adds;
}
