// runLoad against a stand-in gateway on loopback, with the real vegeta: what is sent, when, and
// what the run makes of the answers. Every run here is a few seconds at most.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { loadDefinition } from '../src/definition';
import { runLoad } from '../src/run';
import { type FakeShop, startFakeShop } from './fake-shop';

let shop: FakeShop;
const JAEGER = 'http://127.0.0.1:16686';
const load = (scenario: string, o: Parameters<typeof runLoad>[0] = { scenario }) => {
  const lines: string[] = [];
  return runLoad({ baseUrl: shop.url, jaegerUrl: JAEGER, log: (l) => lines.push(l), ...o, scenario }).then((r) => ({ ...r, lines }));
};
const tasksSeen = () => shop.seen.filter((s) => s.traceparent);

before(async () => {
  shop = await startFakeShop();
});
beforeEach(() => {
  shop.seen.length = 0;
  shop.set({ delayMs: 0, orderStatus: 201 });
});
after(() => shop.close());

describe('runLoad', () => {
  it('when the mix runs at 20/s for 2 s, then every request carries a trace of its own and the synthetic baggage, as its result says', async () => {
    const { results, summary } = await load('checkout-mix', { scenario: 'checkout-mix', rate: 20, seconds: 2 });
    assert.equal(summary.planned, 40);
    assert.equal(summary.sent, 40);
    assert.equal(summary.dropped, 0);
    assert.equal(summary.passed, true, JSON.stringify(summary.thresholds));
    const sent = tasksSeen();
    assert.equal(sent.length, 40);
    for (const s of sent) {
      assert.match(s.traceparent!, /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      assert.equal(s.baggage, 'synthetic_request=true');
    }
    const onWire = new Set(sent.map((s) => s.traceparent!.split('-')[1]));
    assert.equal(onWire.size, 40, 'one trace per request');
    assert.deepEqual(new Set(results.map((r) => r.traceId)), onWire);
    assert.ok(
      sent.every((s) => !s.path.includes('#')),
      'the fragment naming a request is not sent',
    );
    assert.ok(Object.keys(summary.tasks).length === 5 && summary.tasks.browse.count > 0);
  });

  it('when asked for progress, then it says what it will send, then how far it is, so a long run is not silent', async () => {
    const { lines } = await load('checkout-mix', { scenario: 'checkout-mix', rate: 10, seconds: 3, progressEveryMs: 1000 });
    assert.equal(lines[0], 'load: checkout-mix, 30 requests over 3 s');
    const progress = lines.filter((l) => /^load: \d+ s of 3 s, \d+ answered, \d+ failing a check$/.test(l));
    assert.ok(progress.length >= 2, lines.join('\n'));
    const { lines: quiet } = await load('checkout-mix', { scenario: 'checkout-mix', rate: 10, seconds: 1 });
    assert.deepEqual(quiet, [], 'none unless asked');
  });

  it('when it sets up, then it logs in once and keeps low-stock products out of checkouts', async () => {
    const { summary } = await load('checkout-rate', { scenario: 'checkout-rate', rate: 20, seconds: 1 });
    assert.equal(summary.tasks.checkOut.count, 20);
    const logins = shop.seen.filter((s) => s.path === '/api/auth/login');
    assert.equal(logins.length, 1);
    const orders = shop.seen.filter((s) => s.path === '/api/orders');
    assert.ok(orders.every((o) => o.body.items[0].product_id === 'p-plenty' && o.body.payment.card_number === '4242424242424242'));
    assert.ok(orders.every((o) => o.authorization === orders[0].authorization && /^Bearer tok-\d+$/.test(o.authorization!)));
  });

  it('when every answer takes 400 ms, then arrivals keep their rate: open loop, new workers as needed', async () => {
    shop.set({ delayMs: 400 });
    const { summary } = await load('checkout-rate', { scenario: 'checkout-rate', rate: 20, seconds: 2, vus: 1, maxVus: 100 });
    const at = tasksSeen().map((s) => s.at);
    assert.equal(at.length, 40);
    // 40 arrivals 50 ms apart span 1.95 s; one worker waiting for each answer would need 16 s.
    const span = Math.max(...at) - Math.min(...at);
    assert.ok(span > 1700 && span < 2400, `arrivals spread over ${span} ms`);
    assert.equal(summary.dropped, 0);
    assert.ok(summary.tasks.checkOut.p50 >= 400);
  });

  it('when the workers run out, then arrivals not sent in time count as dropped and the run fails', async () => {
    shop.set({ delayMs: 400 });
    const { summary } = await load('checkout-rate', { scenario: 'checkout-rate', rate: 20, seconds: 2, vus: 2, maxVus: 2 });
    assert.ok(summary.dropped >= 20, `dropped ${summary.dropped}`);
    assert.equal(summary.passed, false);
    assert.deepEqual(
      summary.thresholds.filter((t) => !t.pass).map((t) => t.key),
      ['http_req_duration{task:checkOut}', 'dropped_iterations'],
    );
  });

  it('when a check fails, then the run prints which checks, why and the Jaeger link, or that the trace was not sampled', async () => {
    shop.set({ orderStatus: 409 });
    const sampled = await load('checkout-rate', { scenario: 'checkout-rate', rate: 10, seconds: 0.5 });
    assert.equal(sampled.summary.passed, false);
    assert.equal(sampled.lines.length, 5);
    for (const [i, line] of sampled.lines.entries())
      assert.equal(line, `checkOut failed (checkOut: 201; checkOut: paid; HTTP 409): ${JAEGER}/trace/${sampled.results[i].traceId}`);
    const unsampled = await load('checkout-rate', { scenario: 'checkout-rate', rate: 10, seconds: 0.5, env: { TRACE_SAMPLED: '0' } });
    assert.match(
      unsampled.lines[0],
      /^checkOut failed \(checkOut: 201; checkOut: paid; HTTP 409\): trace [0-9a-f]{32} \(not sampled: not in Jaeger\)$/,
    );
    assert.ok(
      tasksSeen()
        .slice(-5)
        .every((s) => s.traceparent!.endsWith('-00')),
    );
  });

  it("when the console's address is given (npm run load), then a failed request's link opens its trace there", async () => {
    shop.set({ orderStatus: 409 });
    const r = await load('checkout-rate', { scenario: 'checkout-rate', rate: 10, seconds: 0.3, consoleUrl: 'http://127.0.0.1:8090' });
    assert.ok(r.lines.length > 0);
    for (const [i, line] of r.lines.entries())
      assert.equal(
        line,
        `checkOut failed (checkOut: 201; checkOut: paid; HTTP 409): http://127.0.0.1:8090/#/traces/${r.results[i].traceId}`,
      );
  });

  it('when smoke runs, then every task runs ITERATIONS times and each count is a threshold', async () => {
    const { summary } = await load('smoke', { scenario: 'smoke', env: { ITERATIONS: '2' } });
    assert.deepEqual(Object.fromEntries(Object.entries(summary.tasks).map(([t, s]) => [t, s.count])), {
      browse: 2,
      viewProduct: 2,
      checkOut: 2,
      listOrders: 2,
      logIn: 2,
    });
    assert.equal(summary.checks.fails, 0);
    assert.ok(summary.thresholds.some((t) => t.key === 'iterations{task:logIn}' && t.expression === 'count==2' && t.pass));
    assert.equal(summary.passed, true);
  });

  it('when an abortOnFail threshold is crossed, then the climb stops at that step', async () => {
    shop.set({ delayMs: 150 });
    const def = loadDefinition();
    def.scenarios.stress.thresholds.http_req_duration = [{ threshold: 'p(95)<100', abortOnFail: true, delayAbortEval: '0s' }];
    const { summary } = await load('stress', {
      scenario: 'stress',
      definition: def,
      env: { START_RATE: '5', STEP_RATE: '5', MAX_RATE: '20', STEP: '1s' },
    });
    assert.match(summary.aborted ?? '', /^http_req_duration p\(95\)<100 crossed during 5\/s$/);
    assert.ok(
      summary.phases.every((p) => p.name === '5/s'),
      'nothing sent after the first step',
    );
    assert.equal(summary.passed, false);
  });
});
