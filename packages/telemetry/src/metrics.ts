import { type Counter, metrics } from '@opentelemetry/api';
import type { METRIC } from './attributes';

const made = new Map<string, Counter>();

/** The shop's counter of that name, made once on first use (so it binds to the meter provider telemetry installed). */
export function counter(name: (typeof METRIC)[keyof typeof METRIC]): Counter {
  let c = made.get(name);
  if (!c) {
    c = metrics.getMeter('tracequest').createCounter(name);
    made.set(name, c);
  }
  return c;
}
