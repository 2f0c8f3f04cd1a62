// The checks' verdicts on traces a learner could submit, read from fake backends: a wrong piece of
// work fails with what is missing, and no failure names the hidden answer.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findScenario } from '@tracequest/faults';
import { REPO_ROOT } from '@tracequest/stack';
import { CHECKS, type CheckInput, type FlatSpan, ID_PROBE, loadQuests, type ProbeSpan, type QuestContext } from '../src';
import { fakeSpan, TRACE } from './fake-span';

const quests = loadQuests(path.join(REPO_ROOT, 'docs/quests'));
const span = fakeSpan;

/** A context whose Jaeger holds `spans`, whose shop checks out into them, and whose faults are `active`. */
function context(id: number, spans: FlatSpan[], opts: { seed?: number; active?: Record<string, unknown> } = {}): QuestContext {
  return {
    quest: quests.find((q) => q.id === id)!,
    seed: opts.seed,
    startedAt: Date.now() - 60_000,
    verified: new Set(),
    settings: { questCommand: 'npm run quest --', faultCommand: 'npm run fault --' },
    jaeger: { trace: async (t: string) => (t === TRACE ? spans : undefined) },
    shop: { checkout: async () => ({ status: 201, traceId: TRACE, body: { id: 'o1' } }), traceOf: async () => spans },
    admin: { active: async () => ({ active: opts.active ?? {} }) },
  } as unknown as QuestContext;
}
const check = (id: number, ctx: QuestContext, input: CheckInput = {}) => CHECKS[id](ctx, input);
/** The gateway's span of a checkout. */
const checkoutEntry = () => span({ service: 'gateway', name: 'POST /api/orders', kind: 'server' });

describe("quest 3's check: the span around the label printer", () => {
  const fulfil = span({ service: 'worker', name: 'worker.fulfil_order', tags: { 'shop.shipment.id': 'ship-1' } });
  const t0 = Date.now();
  /** The label's span, 26 ms long, with its event `eventAfterMs` into it (at its end by default). */
  const label = (tags: Record<string, unknown>, eventAfterMs = 25.8) =>
    span({
      service: 'worker',
      name: 'worker.render_label',
      parentId: fulfil.spanId,
      startMs: t0,
      durationMs: 26,
      tags,
      events: [{ name: 'shop.label.rendered', atMs: t0 + eventAfterMs, fields: {} }],
    });

  it('when the span wraps the label alone, with the shipment being labelled, then it passes', async () => {
    const r = await check(3, context(3, [fulfil, label({ 'shop.shipment.id': 'ship-1', 'shop.label.format': 'pdf' })]));
    assert.deepEqual(r.missing, []);
  });

  it('when the span wraps the transaction too, then it fails and names what is inside', async () => {
    const wide = label({ 'shop.shipment.id': 'ship-1', 'shop.label.format': 'pdf' });
    const inside = span({ service: 'worker', name: 'pg.query:INSERT tracequest', kind: 'client', parentId: wide.spanId });
    const r = await check(3, context(3, [fulfil, wide, inside]));
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /wraps more than the label: worker "pg.query:INSERT tracequest" is inside it/);
  });

  it('when the span was started outside the active context, then it fails saying it is a trace of its own', async () => {
    const root = span({ service: 'worker', name: 'worker.render_label', traceId: 'f'.repeat(32) });
    const ctx = { ...context(3, [fulfil]), jaeger: { search: async () => [[root]] } } as unknown as QuestContext;
    const r = await check(3, ctx);
    assert.match(
      r.missing.join('\n'),
      new RegExp(`in a trace of its own \\(${'f'.repeat(32)}\\): it was started outside the fulfilment's context`),
    );
  });

  it('when the worker runs with TRACE_CONSUME_AS=link (quest 9), then it says so instead of blaming the span', async () => {
    const publish = span({ service: 'order', name: 'publish shop.events', kind: 'producer' });
    const elsewhere = 'e'.repeat(32);
    const linkedFulfil = span({ service: 'worker', name: 'worker.fulfil_order', traceId: elsewhere });
    const placed = label({ 'shop.shipment.id': 'ship-1', 'shop.label.format': 'pdf' });
    const right = { ...placed, traceId: elsewhere, parentId: linkedFulfil.spanId };
    const search = async () => [[linkedFulfil, right]];
    const linked = await check(3, { ...context(3, [checkoutEntry(), publish]), jaeger: { search } } as unknown as QuestContext);
    assert.equal(linked.passed, false);
    assert.match(linked.missing.join('\n'), /the worker runs with TRACE_CONSUME_AS=link/);
    assert.doesNotMatch(linked.missing.join('\n'), /as a root/);
    // The checkout's own trace not telling (no publish seen yet), the span found elsewhere under its parent.
    const found = await check(3, { ...context(3, [checkoutEntry()]), jaeger: { search } } as unknown as QuestContext);
    assert.match(found.missing.join('\n'), new RegExp(`in another one \\(${elsewhere}\\), under worker "worker.fulfil_order"`));
    assert.doesNotMatch(found.missing.join('\n'), /as a root/);
  });

  it('when the event is added before the wait, at the start of the span, then it fails saying when it comes', async () => {
    const r = await check(3, context(3, [fulfil, label({ 'shop.shipment.id': 'ship-1', 'shop.label.format': 'pdf' }, 0.1)]));
    assert.equal(r.passed, false);
    assert.deepEqual(r.missing, [
      'shop.label.rendered comes 0.1 ms into a span of 26.0 ms, before the label is done: add it after the rendering (after the await)',
    ]);
  });

  it('when shop.shipment.id holds another id (the order id), then it fails', async () => {
    const r = await check(3, context(3, [fulfil, label({ 'shop.shipment.id': 'order-9', 'shop.label.format': 'pdf' })]));
    assert.match(r.missing.join('\n'), /shop.shipment.id is "order-9", not the id of the shipment being labelled/);
  });
});

describe('the latency quests: a wrong span is refused without naming the right service or span', () => {
  const seed = 7;
  const target = (scenario: string) => findScenario(scenario)!.faults(seed).latency as { service: string; route?: string };

  it('quest 5: a quick span of the slow service gets the same answer as any quick span', async () => {
    const { service } = target('mystery-latency');
    const quick = span({ service, name: 'GET /x', kind: 'server', durationMs: 7 });
    const r = await check(5, context(5, [quick], { seed }), { trace: TRACE, span: quick.spanId });
    assert.equal(r.passed, false);
    assert.doesNotMatch(r.missing.join('\n'), /right service/);
    assert.match(r.missing.join('\n'), /is not where the time goes.*This checkout is not one of the slow ones/);
  });

  it('quest 5: a quick span under the culprit is refused without calling its checkout quick', async () => {
    const { service, ms } = target('mystery-latency') as { service: string; ms: number };
    const start = Date.now();
    const culprit = span({ service, name: 'POST /x', kind: 'server', startMs: start, durationMs: ms + 10 });
    const below = span({ service, name: 'pg.query:x', kind: 'client', parentId: culprit.spanId, startMs: start + 2, durationMs: 4 });
    const r = await check(5, context(5, [culprit, below], { seed }), { trace: TRACE, span: below.spanId });
    assert.match(r.missing.join('\n'), /is not where the time goes.*This checkout is slow: start again from its long bars/);
    assert.doesNotMatch(r.missing.join('\n'), /not one of the slow ones/);
  });

  it("quest 4: the slow step's span in a quick checkout is refused like any span that is not slow", async () => {
    const { service, route } = target('slow-checkout');
    const quick = span({ service, name: route!, kind: 'server', durationMs: 12 });
    const r = await check(4, context(4, [checkoutEntry(), quick], { seed }), { trace: TRACE, span: quick.spanId });
    assert.equal(r.passed, false);
    assert.doesNotMatch(r.missing.join('\n'), /right span/);
    assert.match(r.missing.join('\n'), /not where the time goes here/);
  });
});

describe('quests 4 and 10: answers a learner could reasonably give', () => {
  it('quest 4: a trace that is no checkout is refused as such, not sent looking for a long bar', async () => {
    const products = span({ service: 'gateway', name: 'GET /api/products', kind: 'server', durationMs: 9 });
    const r = await check(4, context(4, [products], { seed: 7 }), { trace: TRACE, span: products.spanId });
    assert.deepEqual(r.missing, ['that trace is no checkout (no gateway "POST /api/orders" in it): submit the trace of a slow checkout']);
  });

  it('quest 10: the campaign as sent, percent-encoded, is the value the spans carry decoded', async () => {
    const spans = ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker'].map((service) =>
      span({ service, name: 'x', tags: { 'shop.campaign': 'spring sale' } }),
    );
    for (const answer of ['spring%20sale', 'spring sale']) {
      const r = await check(10, context(10, spans), { trace: TRACE, answer });
      assert.deepEqual(r.missing, [], answer);
    }
    const wrong = await check(10, context(10, spans), { trace: TRACE, answer: 'autumn sale' });
    assert.deepEqual(wrong.missing, [
      'no span carries shop.campaign=autumn sale; this trace carries shop.campaign=spring sale: give the value you sent',
    ]);
    // Sent under another key, the campaign is on no span: that alone is said, not "wait for the worker".
    const plain = ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker'].map((service) => span({ service, name: 'x' }));
    const unkeyed = await check(10, context(10, plain), { trace: TRACE, answer: 'springsale' });
    assert.deepEqual(unkeyed.missing, [
      'no span carries shop.campaign=springsale: send the checkout with the header baggage: shop.campaign=springsale',
    ]);
  });
});

describe("quest 16's check on a wrong span", () => {
  const call = () =>
    span({ service: 'order', name: 'POST', kind: 'client', error: true, tags: { 'url.full': 'http://127.0.0.1:1/charges' } });
  const charge = () => span({ service: 'payment', name: 'payment.provider.charge' });

  it('when the refund is already in the trace, then it says to look again, not to wait', async () => {
    const taken = charge();
    const spans = [call(), taken, span({ service: 'payment', name: 'shop.payment.refunded' })];
    const r = await check(16, context(16, spans), { trace: TRACE, span: taken.spanId });
    assert.match(r.missing.join('\n'), /is not where the money went back: it is in this trace, under payment/);
    assert.doesNotMatch(r.missing.join('\n'), /after a while/);
  });

  it('when the refund is not in the trace yet, then it says to reload it after a while', async () => {
    const taken = charge();
    const r = await check(16, context(16, [call(), taken]), { trace: TRACE, span: taken.spanId });
    assert.match(r.missing.join('\n'), /it is not in this trace yet. Reload the trace after a while/);
  });
});

describe("quest 15's check on a checkout that went through", () => {
  it('when no charge failed in the trace, then it says so, and sends nobody waiting for a log line', async () => {
    const charge = span({ service: 'payment', name: 'payment.provider.charge' });
    const r = await check(15, context(15, [checkoutEntry(), charge]), { trace: TRACE, answer: 'NET-5C019ED9' });
    assert.deepEqual(r.missing, ["in that trace no charge failed at the provider: start from a 502 in the gateway's log"]);
  });
});

describe("quest 7's check: the storm is counted in a trace from before the fix", () => {
  const calls = (gapMs: number, n = 3) => {
    const t0 = Date.now();
    return Array.from({ length: n }, (_, i) => i).map((i) =>
      span({
        service: 'order',
        name: 'POST',
        kind: 'client',
        startMs: t0 + i * (5 + gapMs),
        durationMs: 5,
        tags: { 'url.full': 'http://p/charges' },
      }),
    );
  };

  it('when the retries of the submitted trace back off, then it is not the storm, whatever the count', async () => {
    const r = await check(7, context(7, calls(40), { active: { retry_storm: { fix: true } } }), { trace: TRACE, answer: '3' });
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /waited before its retries: it is not the storm/);
  });

  it('when the retries come back to back and the count is right, then that part passes', async () => {
    const r = await check(7, context(7, calls(1), { active: {} }), { trace: TRACE, answer: '3' });
    assert.match(r.found.join('\n'), /3 calls to payment in one checkout: the storm/);
  });

  it('when one gap of a storm stalled past the limit (a busy machine), then it is still the storm', async () => {
    const [a, b, c] = calls(1);
    const stalled = { ...c, startMs: c.startMs + 30 };
    const r = await check(7, context(7, [a, b, stalled], { active: {} }), { trace: TRACE, answer: '3' });
    assert.match(r.found.join('\n'), /3 calls to payment in one checkout: the storm/);
  });

  /** A context whose submitted trace is a storm of 3 calls, the fix on, and whose checkouts after the fix are `afterFix`, in turn. */
  const afterTheFix = (afterFix: FlatSpan[][]) => {
    const ctx = context(7, calls(1), { active: { retry_storm: { fix: true } } });
    let placed = 0;
    const shop = { checkout: async () => ({ status: 201, traceId: `after-${placed++}` }), traceOf: async () => afterFix[placed - 1] };
    return { ctx: { ...ctx, shop } as unknown as QuestContext, placed: () => placed };
  };

  it('when checkouts after the fix went through at the first try, then the check places more until one retried, and times its pauses', async () => {
    const { ctx, placed } = afterTheFix([calls(0, 1), calls(0, 1), calls(60, 3)]);
    const r = await check(7, ctx, { trace: TRACE, answer: '3' });
    assert.equal(placed(), 3);
    assert.deepEqual(r.missing, []);
    assert.match(r.found.join('\n'), /a checkout after the fix called payment 3 times\nwith a pause before every retry/);
  });

  it('when no checkout after the fix retried, then the pause is not passed untested', async () => {
    const { ctx, placed } = afterTheFix(Array.from({ length: 10 }, () => calls(0, 1)));
    const r = await check(7, ctx, { trace: TRACE, answer: '3' });
    assert.equal(placed(), 6);
    assert.equal(r.passed, false);
    assert.doesNotMatch(r.found.join('\n'), /pause/);
    assert.match(r.missing.join('\n'), /none of 6 checkouts after the fix retried its charge, so there was no pause to time/);
  });

  it('when a checkout after the fix retried back to back, then the fix is not working', async () => {
    const { ctx } = afterTheFix([calls(1, 3)]);
    const r = await check(7, ctx, { trace: TRACE, answer: '3' });
    assert.match(r.missing.join('\n'), /the retries still come back to back/);
  });

  it('when the checkout retried once, then it is a hiccup, not the storm', async () => {
    const r = await check(7, context(7, calls(1, 2), { active: {} }), { trace: TRACE, answer: '2' });
    assert.match(r.missing.join('\n'), /called payment twice, one retry: a hiccup, not yet a storm/);
    assert.doesNotMatch(r.found.join('\n'), /the storm/);
  });
});

describe("quest 2's check: your traceparent honoured, your flags 00 not recorded", () => {
  const mine = 'a'.repeat(16);
  const unsampled = 'e'.repeat(32);
  /** A context whose gateway log holds one line of the trace sent for step 5, with these flags. */
  const withLog = (spans: FlatSpan[], flags: string) => {
    const logsDir = mkdtempSync(path.join(tmpdir(), 'q02-'));
    writeFileSync(path.join(logsDir, 'gateway.log'), `${JSON.stringify({ trace_id: unsampled, trace_flags: flags, time: Date.now() })}\n`);
    const ctx = context(2, spans);
    return { ...ctx, settings: { ...ctx.settings, logsDir } } as QuestContext;
  };
  const entry = (parentId?: string) => span({ service: 'gateway', name: 'GET /api/products', kind: 'server', parentId });

  it('when the step-5 trace went out sampled (flags 01) and a sampler dropped it later, then step 5 is not done', async () => {
    const r = await check(2, withLog([entry(mine)], '01'), { trace: TRACE, span: mine, answer: unsampled });
    assert.deepEqual(r.missing, [
      `trace ${unsampled} reached the gateway with flags 01, sampled, and was dropped later (by a sampler in the Collector?): step 5 wants the flags to say not sampled, 00-<new trace id>-<span id>-00`,
    ]);
  });

  it('when the step-5 trace went out with flags 00, then the whole quest passes', async () => {
    const r = await check(2, withLog([entry(mine)], '00'), { trace: TRACE, span: mine, answer: unsampled });
    assert.deepEqual(r.missing, []);
  });

  it('when the gateway started the trace itself, or the span id is no span id, then it says so', async () => {
    const root = await check(2, withLog([entry()], '00'), { trace: TRACE, span: mine, answer: unsampled });
    assert.match(root.missing.join('\n'), /^the gateway's span has no parent: the gateway started that trace itself/);
    const typo = await check(2, withLog([entry(mine)], '00'), { trace: TRACE, span: 'xyz', answer: unsampled });
    assert.match(typo.missing.join('\n'), /^"xyz" is not a span id \(16 hex digits\)/);
  });

  it('when nothing is given, then it asks for everything at once: the trace id, the span id and the step-5 trace id', async () => {
    const r = await check(2, withLog([entry(mine)], '00'), {});
    const said = r.missing.join('\n');
    for (const wanted of [/a trace id/, /the parent span id you put in your traceparent/, /flags 00/]) assert.match(said, wanted, said);
  });
});

describe("quest 1's check on a checkout that did not go through", () => {
  it('when the checkout answered 402, then that is all it says: no waiting for a worker that never comes', async () => {
    const entry = span({ service: 'gateway', name: 'POST /api/orders', kind: 'server', tags: { 'http.response.status_code': 402 } });
    const r = await check(1, context(1, [entry]), { trace: TRACE });
    assert.deepEqual(r.missing, ['that checkout did not answer 201: use one that went through (the test card 4242 4242 4242 4242)']);
  });
});

describe("quest 8's check: each notice in its own checkout's trace", () => {
  /** Three checkouts at once, and where the code under test files each one's notice. */
  const play = (fileNotice: (order: number) => number) => {
    let n = 0;
    const traces = new Map<string, FlatSpan[]>();
    const traceOf = (i: number) => String(i + 1).repeat(32);
    for (let i = 0; i < 3; i++) traces.set(traceOf(i), [span({ service: 'gateway', name: 'POST /api/orders', traceId: traceOf(i) })]);
    for (let i = 0; i < 3; i++)
      traces.get(traceOf(fileNotice(i)))!.push(
        span({
          service: 'inventory',
          name: 'POST /warehouse/notices',
          traceId: traceOf(fileNotice(i)),
          tags: { 'shop.order.id': `order-${i}` },
        }),
      );
    const ctx = {
      ...context(8, []),
      shop: { checkout: async () => ({ status: 201, traceId: traceOf(n), body: { id: `order-${n++}` } }) },
      jaeger: {
        trace: async (t: string) => traces.get(t),
        search: async (q: { tags: Record<string, string> }) =>
          [...traces.values()].filter((t) => t.some((x) => x.tags['shop.order.id'] === q.tags['shop.order.id'])),
      },
      admin: { active: async () => ({ active: { warehouse_notices: {} } }) },
    } as unknown as QuestContext;
    return check(8, ctx);
  };

  it('when every notice keeps its own checkout, then it passes', async () => {
    const r = await play((i) => i);
    assert.deepEqual(r.missing, []);
  });

  it("when the batch shares one context (the last checkout's), then the notices filed under the wrong checkout fail it", async () => {
    const r = await play(() => 2);
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /holds the notice of another order/);
    // And of the notice that is not where it belongs: in another checkout's trace, not one of its own.
    assert.match(r.missing.join('\n'), /the notice for order order-0 is in another checkout's trace \(3{32}\)/);
    assert.doesNotMatch(r.missing.join('\n'), /in a trace of its own/);
  });
});

describe("quest 12's check: the number masked, what was written kept", () => {
  const MASK = '[card number redacted]';
  /** The trace of the check's own checkout, made from the card it pays with. */
  /** The campaign the check sends as baggage, as the pipeline passes it on. */
  type Campaign = (sent: string) => string;
  /** The Collector's rule as the fix writes it: numbers in groups or not, at word boundaries. */
  const theFix = (value: string) => value.replace(/\b[0-9](?:[ -]?[0-9]){12,18}\b/g, MASK);
  /**
   * Each of the check's checkouts gets a trace of its own, made from the card it pays with; the span
   * the check sends to the Collector itself goes through `pipeline`.
   */
  const play = (make: (card: string, campaign: string) => FlatSpan[], placedId = 'o1', pipeline = theFix) => {
    const traces = new Map<string, FlatSpan[]>();
    const ctx = context(12, [], { active: { leaky_span: {} } });
    const through = (attrs: Record<string, string>) => Object.fromEntries(Object.entries(attrs).map(([k, val]) => [k, pipeline(val)]));
    (ctx as { collector: unknown }).collector = {
      send: async (s: ProbeSpan) => {
        const traceId = String(traces.size + 1).padStart(32, '0');
        const event = { name: s.event.name, atMs: Date.now(), fields: through(s.event.attributes) };
        traces.set(traceId, [span({ service: s.service, name: s.name, traceId, tags: through(s.attributes), events: [event] })]);
        return traceId;
      },
    };
    (ctx as { shop: unknown }).shop = {
      checkout: async (card: string, headers: Record<string, string>) => {
        const campaign = /^shop\.campaign=(.*)$/.exec(headers.baggage)?.[1] ?? '';
        const traceId = String(traces.size + 1).padStart(32, '0');
        traces.set(traceId, make(card, campaign));
        return { status: 201, traceId, body: { id: placedId } };
      },
      traceOf: async (traceId: string) => traces.get(traceId),
    };
    return check(12, ctx);
  };
  const untouched: Campaign = (sent) => sent;
  const trace =
    (notes: { span?: string; event?: string }, last4: (card: string) => string, orderId = 'o1', campaign = untouched) =>
    (card: string, sent: string) => [
      span({ service: 'order', name: 'POST /orders', kind: 'server', tags: { 'shop.order.id': orderId } }),
      span({
        service: 'payment',
        name: 'payment.provider.charge',
        tags: {
          'shop.payment.card_last4': last4(card),
          'shop.campaign': campaign(sent),
          ...(notes.span === undefined ? {} : { 'shop.payment.note': notes.span }),
        },
        events: [
          {
            name: 'shop.payment.card_checked',
            atMs: Date.now(),
            fields: notes.event === undefined ? {} : { 'shop.payment.note': notes.event },
          },
        ],
      }),
    ];
  const masked = { span: `charging card ${MASK} for the customer`, event: `card ${MASK} passed the checks` };

  it('when the notes are masked, and nothing else, then it passes; a mask that keeps the last four digits too', async () => {
    assert.deepEqual((await play(trace(masked, (card) => card.slice(-4)))).missing, []);
    const receipt = (card: string) => ({
      span: `charging card **** ${card.slice(-4)} for the customer`,
      event: `card ****-${card.slice(-4)} passed the checks`,
    });
    const r = await play((card, sent) => trace(receipt(card), (c) => c.slice(-4))(card, sent));
    assert.deepEqual(r.missing, []);
  });

  it('when a rule catches four groups of four only, then the 15-digit card it pays with too shows it', async () => {
    const fours = (card: string) => card.replace(/^(\d{4})(\d{4})(\d{4})(\d{4})$/, MASK);
    const notes = (card: string) => {
      const grouped = (sep: string) => (fours(card) === MASK ? MASK : card.replace(/(\d{4})(?=\d)/g, `$1${sep}`));
      return { span: `charging card ${grouped(' ')} for the customer`, event: `card ${grouped('-')} passed the checks` };
    };
    const r = await play((card, sent) => trace(notes(card), (c) => c.slice(-4))(card, sent));
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /^the 15-digit card number still reaches Jaeger, in 2 places of trace 0{31}2/m);
    assert.doesNotMatch(r.missing.join('\n'), /16-digit/);
    assert.match(r.found.join('\n'), /37\d\d\.\.\.\d{4} \(15 digits, trace 0{31}2\)/);
  });

  it('when a rule deletes the notes instead (delete_key), then it fails: nothing leaks, but nothing is left either', async () => {
    const r = await play(trace({}, (card) => card.slice(-4)));
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /gone or reworded instead of masked/);
  });

  it("when payment's code masks the number and the Collector does not, then the check's own span shows it", async () => {
    const r = await play(
      trace(masked, (card) => card.slice(-4)),
      'o1',
      (value) => value,
    );
    assert.equal(r.passed, false);
    assert.match(
      r.missing.join('\n'),
      /a span of another service \(quest-12-check\), sent by the check straight to the Collector with a new card number in the same notes, reached Jaeger with the number \(trace 0{31}3\): the rule has to be in the Collector/,
    );
  });

  it('when a rule drops the charge span (a filter processor), then it fails: nothing leaks, but the span is gone', async () => {
    const server = () => span({ service: 'payment', name: 'POST /charges', kind: 'server' });
    const r = await play((card, sent) => [
      server(),
      ...trace(masked, (c) => c.slice(-4))(card, sent).filter((s) => s.name !== 'payment.provider.charge'),
    ]);
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /payment.provider.charge is gone from a checkout's trace: your rule drops or renames the span/);
  });

  it('when a rule masks any value with four digits in it, then it fails: the notes, the ids and the last four digits went too', async () => {
    const r = await play(
      trace(
        { span: MASK, event: MASK },
        () => MASK,
        MASK,
        () => MASK,
      ),
    );
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /gone or reworded instead of masked/);
    assert.match(
      r.missing.join('\n'),
      /your rule masks more than card numbers: shop.payment.card_last4 .* and shop.order.id \(o1\) and shop.campaign/,
    );
  });

  it('when a rule matches inside a word, then the id the check sends as baggage shows it, every time, whatever the order id', async () => {
    // [0-9](?:[ -]?[0-9]){12,18} without \b: 17 digits across the id's dashes are taken for a card.
    const inside: Campaign = (sent) => sent.replace(/[0-9](?:[ -]?[0-9]){12,18}/, MASK);
    assert.notEqual(inside(ID_PROBE), ID_PROBE, 'the probe is one such a rule damages');
    const r = await play(trace(masked, (card) => card.slice(-4), 'o1', inside));
    assert.equal(r.passed, false);
    assert.match(
      r.missing.join('\n'),
      /masks more than card numbers: shop.campaign \(8eb2f195-0134-4650-8333-50b9b6132465, an id like the shop's, sent as baggage by the check; it arrived as "8eb2f\[card number redacted\]b9b6132465"\) is no longer .*\\b at both ends/,
    );
    // With word boundaries, the same rule leaves the id alone.
    const bounded: Campaign = (sent) => sent.replace(/\b[0-9](?:[ -]?[0-9]){12,18}\b/, MASK);
    assert.deepEqual((await play(trace(masked, (card) => card.slice(-4), 'o1', bounded))).missing, []);
  });

  it('when the order id is one a card rule may take whole, then it is not held against the rule (the probe judges instead)', async () => {
    const cardLike = '12345678-1234-4567-89ab-cdef01234567';
    const rule = (value: string) => value.replace(/\b[0-9](?:[ -]?[0-9]){12,18}\b/, MASK);
    const r = await play(
      trace(masked, (card) => card.slice(-4), rule(cardLike), rule),
      cardLike,
    );
    assert.deepEqual(r.missing, []);
  });
});

describe('quests 4 and 6 when the step at fault is order itself', () => {
  const seed = 0; // slow-checkout and failing-step both pick order's POST /orders with it
  const gateway = span({ service: 'gateway', name: 'POST /api/orders', kind: 'server', durationMs: 430, error: true });
  const call = span({ service: 'gateway', name: 'POST', kind: 'client', parentId: gateway.spanId, durationMs: 428, error: true });
  const order = span({ service: 'order', name: 'POST /orders', kind: 'server', parentId: call.spanId, durationMs: 425, error: true });

  for (const [quest, scenario, fault, wrong, said] of [
    [4, 'slow-checkout', 'latency', gateway, /slow because of something it waits for/],
    [6, 'failing-step', 'error', call, /reports an error it got from below/],
  ] as const)
    it(`quest ${quest}: order's server span is where it starts; ${wrong.name} above it is not`, async () => {
      assert.equal((findScenario(scenario)!.faults(seed)[fault] as { service: string }).service, 'order');
      const spans = [gateway, call, order];
      assert.deepEqual((await check(quest, context(quest, spans, { seed }), { trace: TRACE, span: order.spanId })).missing, []);
      const r = await check(quest, context(quest, spans, { seed }), { trace: TRACE, span: wrong.spanId });
      assert.match(r.missing.join('\n'), said);
    });
});
