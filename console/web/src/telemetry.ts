// The page's own traces: the document load, the shop's fetch calls and the checkout click, sent to
// the Collector over OTLP/HTTP as service console-browser. Each fetch to /api carries traceparent,
// so the gateway's server span becomes a child of the browser's fetch span.
import { context, propagation, SpanStatusCode, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { DocumentLoadInstrumentation } from '@opentelemetry/instrumentation-document-load';
import { FetchInstrumentation } from '@opentelemetry/instrumentation-fetch';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, StackContextManager, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ConsolePageConfig } from '@tracequest/contracts';

export const BROWSER_SERVICE = 'console-browser';

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function startTelemetry(config: ConsolePageConfig): void {
  if (!config.otlpTracesUrl) return;
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': BROWSER_SERVICE }),
    // Spans go out every half second, and when the tab is hidden or closed (the browser processor's own flush).
    spanProcessors: [new BatchSpanProcessor({ exporter: new OTLPTraceExporter({ url: config.otlpTracesUrl }), scheduledDelayMillis: 500 })],
  });
  trace.setGlobalTracerProvider(provider);
  context.setGlobalContextManager(new StackContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new DocumentLoadInstrumentation(),
      // The shop's API only: the console's own calls (/console/...: Jaeger, faults, quests) and the
      // span export itself are not shop traffic.
      new FetchInstrumentation({ ignoreUrls: [new RegExp(`^(?!${escapeRegExp(`${location.origin}/api/`)})`)] }),
    ],
  });
}

/** The element's XPath, written like instrumentation-user-interaction writes it. */
function xpathOf(el: Element): string {
  if (el.id) return `//*[@id="${el.id}"]`;
  const parent = el.parentElement;
  if (!parent) return `/${el.tagName.toLowerCase()}`;
  const same = [...parent.children].filter((c) => c.tagName === el.tagName);
  return `${xpathOf(parent)}/${el.tagName.toLowerCase()}${same.length > 1 ? `[${same.indexOf(el) + 1}]` : ''}`;
}

/**
 * A user-interaction span for a click, the parent of the requests its work makes. The work must
 * call fetch before its first await: the page's context manager keeps context only synchronously.
 */
export async function inClickSpan<T>(target: Element, work: () => Promise<T>): Promise<T> {
  const span = trace.getTracer('tracequest-console').startSpan('click', {
    attributes: { event_type: 'click', target_element: target.tagName, target_xpath: xpathOf(target), 'http.url': location.href },
  });
  try {
    return await context.with(trace.setSpan(context.active(), span), work);
  } catch (err) {
    span.recordException(err as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(err) });
    throw err;
  } finally {
    span.end();
  }
}
