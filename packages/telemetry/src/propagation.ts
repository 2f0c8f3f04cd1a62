import {
  type Baggage,
  type Context,
  context,
  createContextKey,
  propagation,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { BAGGAGE_MAX_VALUE_LENGTH, BAGGAGE_ON_SPANS } from './attributes';
import { maskedSecrets } from './redact';

/** Set on a context to make the propagator inject nothing, so the hop loses its trace context. */
export const DROP_PROPAGATION = createContextKey('tracequest.drop-propagation');

/** Runs fn so that any call or message it sends carries no traceparent or baggage. */
export function withoutPropagation<T>(fn: () => T): T {
  return context.with(context.active().setValue(DROP_PROPAGATION, true), fn);
}

const ALLOWED: ReadonlySet<string> = new Set(BAGGAGE_ON_SPANS);

// Control characters (a newline, say) that percent-encoding let through: a value is one line of text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: they are what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Baggage is client input: only the allowed keys, with values of a bounded length on one line, are
 * kept, and a token or card number in a value is masked (every span of the request carries it).
 */
function allowedOnly(baggage: Baggage): Baggage | undefined {
  const kept = baggage
    .getAllEntries()
    .filter(([key, entry]) => ALLOWED.has(key) && entry.value.length <= BAGGAGE_MAX_VALUE_LENGTH && !CONTROL.test(entry.value));
  return kept.length
    ? propagation.createBaggage(Object.fromEntries(kept.map(([key, entry]) => [key, { value: maskedSecrets(entry.value) }])))
    : undefined;
}

/**
 * W3C trace context and baggage, with a switch to drop them (the broken_propagation fault). Baggage
 * is filtered as it is read: at the gateway, what a client sends; in every service after it, again.
 */
export class SwitchablePropagator implements TextMapPropagator {
  private readonly inner = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    if (ctx.getValue(DROP_PROPAGATION)) return;
    this.inner.inject(ctx, carrier, setter);
  }
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    const extracted = this.inner.extract(ctx, carrier, getter);
    const baggage = propagation.getBaggage(extracted);
    if (!baggage) return extracted;
    const kept = allowedOnly(baggage);
    return kept ? propagation.setBaggage(extracted, kept) : propagation.deleteBaggage(extracted);
  }
  fields(): string[] {
    return this.inner.fields();
  }
}
