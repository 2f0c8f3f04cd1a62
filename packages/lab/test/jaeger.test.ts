// Reading a trace as it arrives: spans come into Jaeger in batches from six processes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type FlatSpan, rootOf } from '../src';

const span = (spanId: string, parentId: string | undefined, startMs: number): FlatSpan => ({
  traceId: 't',
  spanId,
  parentId,
  links: [],
  service: 's',
  name: spanId,
  kind: 'server',
  error: false,
  startMs,
  durationMs: 1,
  tags: {},
  events: [],
});

describe('rootOf', () => {
  it('when a later span arrived before its parent, then the root is still the span without a parent', () => {
    const spans = [span('late', 'missing', 50), span('root', undefined, 0), span('child', 'root', 10)];
    assert.equal(rootOf(spans)?.spanId, 'root');
  });

  it("when the trace starts under a caller's span that is not in it, then the root is the earliest orphan", () => {
    const spans = [span('late', 'gone', 50), span('first', 'callers', 0), span('child', 'first', 10)];
    assert.equal(rootOf(spans)?.spanId, 'first');
  });
});
