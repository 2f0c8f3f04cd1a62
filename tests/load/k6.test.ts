import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useStack } from '../src/harness';
import type { FlatSpan } from '../src/jaeger';
import { type K6Run, runK6 } from './k6';

const h = useStack();
const TASKS = ['browse', 'viewProduct', 'logIn', 'checkOut', 'listOrders'];
const EVERY_SERVICE = ['gateway', 'auth', 'order', 'inventory', 'payment', 'worker'];

describe('loadtest/smoke.js against the shop', () => {
  let smoke: K6Run;
  before(async () => {
    // LOG_TRACES: k6 prints the trace id and span id it sent with each request.
    smoke = await runK6(h.stack, 'loadtest/smoke.js', { ITERATIONS: '2', LOG_TRACES: 'true' });
  });

  it('when the smoke script runs, then k6 exits 0 with every check passed and every task run', () => {
    assert.equal(smoke.code, 0, smoke.output);
    assert.equal(smoke.metrics.checks.fails, 0);
    assert.ok(smoke.metrics.checks.passes > 0);
    assert.equal(smoke.metrics.http_req_failed.passes, 0, 'no request failed');
    for (const task of TASKS) assert.equal(smoke.metrics[`iterations{task:${task}}`]?.count, 2, `iterations of ${task}`);
  });

  it("when k6 sends a checkout, then its trace in Jaeger starts at the gateway's server span under k6's trace id, through every service, all marked synthetic", async () => {
    const sent = [...smoke.output.matchAll(/trace task=checkOut status=201 trace_id=([0-9a-f]{32}) span_id=([0-9a-f]{16})/g)];
    assert.ok(sent.length > 0, `k6 printed no checkout trace ids:\n${smoke.output}`);
    const [, traceId, k6SpanId] = sent[0];
    const spans = await h.jaeger.traceWith(traceId, EVERY_SERVICE);
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentId || !ids.has(s.parentId));
    assert.equal(roots.length, 1, `one root, got ${roots.map(describeSpan).join(', ')}`);
    const [root] = roots;
    assert.equal(root.service, 'gateway');
    assert.equal(root.kind, 'server');
    assert.equal(root.traceId, traceId);
    // Its parent is the span k6 claimed in traceparent, which k6 itself never exports.
    assert.equal(root.parentId, k6SpanId);
    const unmarked = spans.filter((s) => s.tags.synthetic_request !== 'true');
    assert.deepEqual(unmarked.map(describeSpan), [], 'every span carries synthetic_request=true');
  });

  it('when a check fails, then k6 prints the Jaeger link of the failing request', async () => {
    // A bad token makes the checks of checkOut and listOrders fail: the run must fail and say which trace to open.
    const run = await runK6(h.stack, 'loadtest/smoke.js', { ITERATIONS: '1', TOKEN: 'not-a-token' });
    assert.notEqual(run.code, 0);
    const link = /(checkOut|listOrders) failed \([^)]*\): (\S+)\/trace\/([0-9a-f]{32})/.exec(run.output);
    assert.ok(link, run.output);
    assert.equal(link[2], h.stack.urls.jaeger);
    const spans = await h.jaeger.traceWith(link[3], ['gateway']);
    assert.ok(spans.some((s) => s.service === 'gateway' && s.kind === 'server' && s.tags['http.response.status_code'] === 401));
  });
});

const describeSpan = (s: FlatSpan) => `${s.service}:${s.name}`;
