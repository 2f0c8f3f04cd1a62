import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useStack } from '../src/harness';
import type { FlatSpan } from '../src/jaeger';
import { type LoadRun, runScenario } from './runner';

const h = useStack();
const TASKS = ['browse', 'viewProduct', 'logIn', 'checkOut', 'listOrders'];
const EVERY_SERVICE = ['gateway', 'auth', 'order', 'inventory', 'payment', 'worker'];

describe('npm run load -- smoke against the shop', () => {
  let smoke: LoadRun;
  before(async () => {
    // LOG_TRACES: the runner prints the trace id and span id it sent with each request.
    smoke = await runScenario(h.stack, 'smoke', { ITERATIONS: '2', LOG_TRACES: 'true' });
  });

  it('when the smoke scenario runs, then it exits 0 with every check passed and every task run', () => {
    assert.equal(smoke.code, 0, smoke.output);
    const s = smoke.summary!;
    assert.equal(s.checks.fails, 0);
    assert.ok(s.checks.passes > 0);
    assert.equal(s.dropped, 0);
    for (const task of TASKS) {
      assert.equal(s.tasks[task]?.count, 2, `requests of ${task}`);
      assert.equal(s.tasks[task].errors, 0, `no request of ${task} failed`);
    }
    assert.ok(s.thresholds.length > 0 && s.thresholds.every((t) => t.pass));
  });

  it("when the runner sends a checkout, then its trace in Jaeger starts at the gateway's server span under the runner's trace id, through every service, all marked synthetic", async () => {
    const sent = [...smoke.output.matchAll(/trace task=checkOut status=201 trace_id=([0-9a-f]{32}) span_id=([0-9a-f]{16})/g)];
    assert.ok(sent.length > 0, `the runner printed no checkout trace ids:\n${smoke.output}`);
    const [, traceId, runnerSpanId] = sent[0];
    const spans = await h.jaeger.traceWith(traceId, EVERY_SERVICE);
    const ids = new Set(spans.map((s) => s.spanId));
    const roots = spans.filter((s) => !s.parentId || !ids.has(s.parentId));
    assert.equal(roots.length, 1, `one root, got ${roots.map(describeSpan).join(', ')}`);
    const [root] = roots;
    assert.equal(root.service, 'gateway');
    assert.equal(root.kind, 'server');
    assert.equal(root.traceId, traceId);
    // Its parent is the span the runner claimed in traceparent, which nothing exports.
    assert.equal(root.parentId, runnerSpanId);
    const unmarked = spans.filter((s) => s.tags.synthetic_request !== 'true');
    assert.deepEqual(unmarked.map(describeSpan), [], 'every span carries synthetic_request=true');
  });

  it('when a check fails, then the runner prints the Jaeger link of the failing request', async () => {
    // A bad token makes the checks of checkOut and listOrders fail: the run must fail and say which trace to open.
    const run = await runScenario(h.stack, 'smoke', { ITERATIONS: '1', TOKEN: 'not-a-token' });
    assert.equal(run.code, 99, run.output);
    const link = /(checkOut|listOrders) failed \([^)]*\): (\S+)\/trace\/([0-9a-f]{32})/.exec(run.output);
    assert.ok(link, run.output);
    assert.equal(link[2], h.stack.urls.jaeger);
    const spans = await h.jaeger.traceWith(link[3], ['gateway']);
    assert.ok(spans.some((s) => s.service === 'gateway' && s.kind === 'server' && s.tags['http.response.status_code'] === 401));
  });
});

const describeSpan = (s: FlatSpan) => `${s.service}:${s.name}`;
