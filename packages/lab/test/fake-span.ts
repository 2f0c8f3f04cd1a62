// A span as the checks read it (a FlatSpan from Jaeger), for checks played against fake backends.
import type { FlatSpan } from '../src';

/** The trace the fake spans are in, unless one is given. */
export const TRACE = 'c'.repeat(32);
let ids = 0;

export const fakeSpan = (over: Partial<FlatSpan> & Pick<FlatSpan, 'service' | 'name'>): FlatSpan => ({
  traceId: TRACE,
  spanId: (++ids).toString(16).padStart(16, '0'),
  links: [],
  kind: 'internal',
  error: false,
  startMs: Date.now(),
  durationMs: 5,
  tags: {},
  events: [],
  ...over,
});
