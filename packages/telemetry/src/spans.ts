import { type Attributes, context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { ATTR } from './attributes';

const tracer = () => trace.getTracer('tracequest');

/**
 * The error a server's error handler answered with, kept on the response: its type
 * (`service_unavailable`) and, when it failed the span, the status message. The http
 * instrumentation overwrites both when the response ends (error.type with the status code "503",
 * the status with one of no message), and the server span's hook (sdk.ts) puts them back.
 */
export const RESPONSE_ERROR = Symbol.for('tracequest.response_error');
export type ResponseError = { type: string; message?: string };

/** Marks a span as failed the same way everywhere: exception event, status ERROR, error.type. */
export function recordError(span: Span, err: unknown, type?: string): ResponseError {
  const e = err instanceof Error ? err : new Error(String(err));
  const recorded = { type: type ?? ((e as { code?: string }).code || e.name), message: e.message };
  span.recordException(e);
  span.setStatus({ code: SpanStatusCode.ERROR, message: recorded.message });
  span.setAttribute(ATTR.ERROR_TYPE, recorded.type);
  return recorded;
}

/** Runs fn inside a new active span; a thrown error marks the span and is rethrown. */
export async function withSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, { attributes }, async (span) => {
    try {
      return await fn(span);
    } catch (err) {
      recordError(span, err);
      throw err;
    } finally {
      span.end();
    }
  });
}

/**
 * Records a notable moment as an event of the active span. When that span has ended already (its
 * client gave up, and the server span closed with the connection), the event would be dropped, so
 * it becomes a span of its own, a child of the ended one, carrying the event.
 */
export function recordMoment(name: string, attributes: Attributes): void {
  const active = trace.getActiveSpan();
  if (active?.isRecording()) {
    active.addEvent(name, attributes);
    return;
  }
  const span = tracer().startSpan(name, { attributes });
  span.addEvent(name, attributes);
  span.end();
}

/** The trace id of the active span, or undefined when nothing is being traced. */
export function currentTraceId(): string | undefined {
  const ctx = trace.getSpanContext(context.active());
  return ctx && trace.isSpanContextValid(ctx) ? ctx.traceId : undefined;
}
