// The tests read Jaeger with the same client the quest checks use.
export { connected, type FlatSpan, flatten, Jaeger, rootOf, traceIdOf } from '@tracequest/lab';
