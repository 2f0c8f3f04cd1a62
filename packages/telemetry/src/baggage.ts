// Copies chosen W3C baggage entries onto every span a service starts, so a request marked by its
// caller (k6 sends `synthetic_request=true`) can be found in the traces of every hop.
import { type Context, propagation } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { BAGGAGE_MAX_VALUE_LENGTH, BAGGAGE_ON_SPANS } from './attributes';

export class BaggageToAttributes implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const baggage = propagation.getBaggage(parentContext);
    if (!baggage) return;
    for (const key of BAGGAGE_ON_SPANS) {
      const entry = baggage.getEntry(key);
      if (entry && entry.value.length <= BAGGAGE_MAX_VALUE_LENGTH) span.setAttribute(key, entry.value);
    }
  }
  onEnd(_span: ReadableSpan): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}
