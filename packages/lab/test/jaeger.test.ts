// Reading a trace as it arrives: spans come into Jaeger in batches from six processes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { entryOf, type FlatSpan, rootOf, workerLinkedAway } from '../src';

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

describe('entryOf', () => {
  const at = (service: string, s: FlatSpan) => ({ ...s, service });
  it("when a checkout starts in the console's page, then it enters the shop at the gateway's span under the browser's", () => {
    const spans = [
      at('console-browser', span('click', undefined, 0)),
      at('console-browser', span('fetch', 'click', 1)),
      at('gateway', span('gateway', 'fetch', 2)),
      at('order', span('order', 'gateway', 3)),
    ];
    assert.equal(rootOf(spans)?.spanId, 'click');
    assert.equal(entryOf(spans)?.spanId, 'gateway');
  });

  it('when a request starts at the gateway, or under a caller not in the trace, then the entry is that first shop span', () => {
    assert.equal(entryOf([at('order', span('order', 'gateway', 3)), at('gateway', span('gateway', undefined, 0))])?.spanId, 'gateway');
    assert.equal(entryOf([at('gateway', span('gateway', 'yours', 0)), at('order', span('order', 'gateway', 1))])?.spanId, 'gateway');
  });
});

describe('workerLinkedAway', () => {
  const kind = (k: FlatSpan['kind'], s: FlatSpan) => ({ ...s, kind: k });
  it('when order published but no consumer span joined, then it says the worker runs with links; not while the worker is there', () => {
    const published = [span('gateway', undefined, 0), kind('producer', span('publish', 'gateway', 5))];
    assert.match(workerLinkedAway(published) ?? '', /TRACE_CONSUME_AS=link/);
    assert.equal(workerLinkedAway([...published, kind('consumer', span('process', 'publish', 9))]), undefined);
    assert.equal(workerLinkedAway([span('gateway', undefined, 0)]), undefined, 'nothing published: nothing to say');
  });
});
