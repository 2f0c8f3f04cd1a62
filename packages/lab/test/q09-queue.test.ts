// Quest 9's check across the restart it asks for: natively `TRACE_CONSUME_AS=link npm start` starts
// Jaeger again, empty, so what the first run verified must stay verified. Played against a fake
// shop and Jaeger that hold what each run would find.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHECKS, type QuestContext } from '../src';
import { fakeSpan, TRACE } from './fake-span';

const CHECKOUT = TRACE;
/** The order whose message was dead-lettered. */
const DEAD = '0d3ad1e7-0000-4000-8000-00000000dead';
const span = fakeSpan;

/** The checkout's trace with the worker as a child of order's publish. */
const childTrace = [
  span({ spanId: '1'.repeat(16), service: 'order', name: 'outbox.relay', kind: 'internal' }),
  span({ spanId: '2'.repeat(16), parentId: '1'.repeat(16), service: 'order', name: 'publish shop.events', kind: 'producer' }),
  span({ spanId: '3'.repeat(16), parentId: '2'.repeat(16), service: 'worker', name: 'worker.order-paid process', kind: 'consumer' }),
];
const deadLettered = [
  span({
    spanId: '4'.repeat(16),
    service: 'worker',
    name: 'worker.order-paid process',
    kind: 'consumer',
    events: [{ name: 'shop.message.dead_lettered', atMs: Date.now(), fields: {} }],
  }),
];

/** A Jaeger and a shop as they are before the restart (worker in child mode) or after it (link mode, Jaeger empty). */
function backends(mode: 'child' | 'link') {
  let n = 0;
  let placed = '';
  const shop = {
    async checkout() {
      placed = (++n).toString(16).padStart(32, 'a');
      return { status: 201, body: { id: `order-${n}` }, traceId: placed };
    },
  };
  const jaeger = {
    trace: async (id: string) => (mode === 'child' && id === CHECKOUT ? childTrace : undefined),
    search: async (q: { operation?: string; tags: Record<string, string> }) => {
      if (q.operation === 'worker.fulfil_order') {
        const consumer = span({ spanId: '5'.repeat(16), service: 'worker', name: 'worker.order-paid process', kind: 'consumer' });
        if (mode === 'child') return [[{ ...consumer, traceId: placed }]];
        return [[{ ...consumer, traceId: 'b'.repeat(32), links: [{ traceId: placed, spanId: '6'.repeat(16) }] }]];
      }
      return mode === 'child' && q.tags['shop.order.id'] === DEAD ? [deadLettered] : [];
    },
  };
  return { shop, jaeger };
}

const run = (verified: Set<string>, mode: 'child' | 'link', input: { trace?: string; span?: string; answer?: string }) =>
  CHECKS[9]({ ...backends(mode), verified, startedAt: Date.now() - 60_000, quest: { id: 9 } } as unknown as QuestContext, input);

describe("quest 9's check, across the restart it asks for", () => {
  it('when the first run sees the child span and the dead letter but no link yet, then it wants the link and keeps what it saw', async () => {
    const verified = new Set<string>();
    const first = await run(verified, 'child', { trace: CHECKOUT, span: '3'.repeat(16), answer: DEAD });
    assert.equal(first.passed, false);
    assert.deepEqual(first.missing, ["the worker still continues the publisher's trace: restart it with TRACE_CONSUME_AS=link (step 3)"]);
    assert.equal(verified.size, 2);

    // After the restart Jaeger is empty: the same command, and one with no ids at all, pass.
    for (const input of [{ trace: CHECKOUT, span: '3'.repeat(16), answer: DEAD }, {}]) {
      const after = await run(new Set(verified), 'link', input);
      assert.equal(after.passed, true, after.missing.join('; '));
      assert.match(
        after.found.join('\n'),
        input.span
          ? /consumer span, a child of order's publish \(verified before: the --trace and --span given now are not read again\)/
          : /consumer span, a child of order's publish \(verified before\)/,
      );
      assert.match(
        after.found.join('\n'),
        input.answer
          ? /dead-letter queue \(verified before: the --answer given now is not read again\)/
          : /dead-letter queue \(verified before\)/,
      );
      // None of the three is asked for again (the runner lists the empty fields a check still reads).
      assert.deepEqual([...(after.unread ?? [])].sort(), ['answer', 'span', 'trace']);
    }
  });

  it('when nothing was verified before, then an empty Jaeger after the restart fails the first and last parts', async () => {
    const verified = new Set<string>();
    const r = await run(verified, 'link', { trace: CHECKOUT, span: '3'.repeat(16), answer: DEAD });
    assert.equal(r.passed, false);
    assert.match(r.missing.join('\n'), /trace c{32} is not in Jaeger.*compose: docker compose up -d/);
    assert.match(
      r.missing.join('\n'),
      new RegExp(`no worker trace of order ${DEAD} since the quest started: give the order's id .* find an order dead-lettered since`),
    );
    assert.equal(verified.size, 0);
  });

  it('when the first check comes before the restart, then the link part says to check the consumer span first', async () => {
    const r = await run(new Set(), 'child', {});
    assert.match(
      r.missing.join('\n'),
      /as it should for now: check the consumer span first \(step 2\), then restart the worker with TRACE_CONSUME_AS=link/,
    );
    assert.deepEqual(r.unread, []);
  });

  it('when the consumer span given is already in a linked trace of its own, then it says the worker is in link mode too early', async () => {
    const linked = span({
      spanId: '7'.repeat(16),
      service: 'worker',
      name: 'worker.order-paid process',
      kind: 'consumer',
      links: [{ traceId: CHECKOUT, spanId: '2'.repeat(16) }],
    });
    const { shop, jaeger } = backends('link');
    const ctx = {
      shop,
      jaeger: { ...jaeger, trace: async () => [linked] },
      verified: new Set<string>(),
      startedAt: Date.now() - 60_000,
      quest: { id: 9 },
    };
    const r = await CHECKS[9](ctx as unknown as QuestContext, { trace: 'e'.repeat(32), span: '7'.repeat(16) });
    assert.match(
      r.missing.join('\n'),
      /is the worker's consumer span, but in a trace of its own, linked to the publish: the worker runs with TRACE_CONSUME_AS=link already/,
    );
  });

  it('when the order id given is no order id, then it says so instead of searching for it', async () => {
    const r = await run(new Set(), 'child', { trace: CHECKOUT, span: '3'.repeat(16), answer: 'not-a-uuid' });
    assert.match(r.missing.join('\n'), /"not-a-uuid" is not an order id \(a UUID, as in shop.order.id\)/);
  });

  it('when the span given is not the consumer span, then nothing is remembered of it', async () => {
    const verified = new Set<string>();
    const r = await run(verified, 'child', { trace: CHECKOUT, span: '2'.repeat(16) });
    assert.equal(r.passed, false);
    assert.ok(!verified.has('consumer span under the publish'));
  });
});
