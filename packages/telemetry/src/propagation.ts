import {
  type Context,
  context,
  createContextKey,
  type TextMapGetter,
  type TextMapPropagator,
  type TextMapSetter,
} from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';

/** Set on a context to make the propagator inject nothing, so the hop loses its trace context. */
export const DROP_PROPAGATION = createContextKey('tracequest.drop-propagation');

/** Runs fn so that any call or message it sends carries no traceparent or baggage. */
export function withoutPropagation<T>(fn: () => T): T {
  return context.with(context.active().setValue(DROP_PROPAGATION, true), fn);
}

/** W3C trace context and baggage, with a switch to drop them (the broken_propagation fault). */
export class SwitchablePropagator implements TextMapPropagator {
  private readonly inner = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });

  inject(ctx: Context, carrier: unknown, setter: TextMapSetter): void {
    if (ctx.getValue(DROP_PROPAGATION)) return;
    this.inner.inject(ctx, carrier, setter);
  }
  extract(ctx: Context, carrier: unknown, getter: TextMapGetter): Context {
    return this.inner.extract(ctx, carrier, getter);
  }
  fields(): string[] {
    return this.inner.fields();
  }
}
