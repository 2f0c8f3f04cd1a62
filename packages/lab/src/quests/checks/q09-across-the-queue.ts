import { type Check, describe, submittedSpan, submittedTrace, Verdict } from '../context';
import { sleep } from './common';

const CHILD = 'consumer span under the publish';
const DEAD_LETTERED = 'dead-lettered order';
const ORDER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The queue hop read three ways: a child of the publish, a linked trace of its own, and a message
 * that never made it. Parts 1 and 3 are remembered once verified: the restart that part 2 needs
 * empties the native Jaeger, and with it the traces they were seen in.
 */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  // 1. In a checkout's trace, the worker's processing is a child of order's publish, itself under outbox.relay.
  if (ctx.verified.has(CHILD)) {
    v.unread.add('trace').add('span');
    v.found.push(
      `the worker's consumer span, a child of order's publish (verified before${input.trace || input.span ? ': the --trace and --span given now are not read again' : ''})`,
    );
  } else {
    const spans = await submittedTrace(ctx, input, v);
    const span = spans && submittedSpan(spans, input, v);
    if (spans && span) {
      const parent = spans.find((s) => s.spanId === span.parentId);
      const grand = parent && spans.find((s) => s.spanId === parent.parentId);
      const retry = span.kind === 'consumer' && parent?.kind === 'producer' && parent.service === 'worker';
      // In link mode the consumer span is the root of a trace of its own: right span, wrong mode for this part.
      const linkMode = span.service === 'worker' && span.kind === 'consumer' && !parent && span.links.length > 0;
      const ok = v.expect(
        span.service === 'worker' && span.kind === 'consumer' && parent?.kind === 'producer' && grand?.name === 'outbox.relay',
        `${describe(span)}: a consumer span, child of order's publish, under outbox.relay`,
        retry
          ? `${describe(span)} is the delivery of a retry: its parent is the worker's own publish of the copy. Pick the first delivery, whose parent is order's publish`
          : linkMode
            ? `${describe(span)} is the worker's consumer span, but in a trace of its own, linked to the publish: the worker runs with TRACE_CONSUME_AS=link already. This part wants it as a child of the publish: run the worker without TRACE_CONSUME_AS, check a checkout's consumer span (step 2), then restart with it`
            : `${describe(span)} is not the worker's consumer span (the one whose parent is order's publish span): pick that one`,
      );
      if (ok) ctx.verified.add(CHILD);
    }
  }
  // 2. With TRACE_CONSUME_AS=link, a new order's fulfilment starts a trace of its own, linked to the publish.
  const placed = await ctx.shop.checkout();
  const orderId = (placed.body as { id?: string }).id ?? '';
  let linked = false;
  let sameTrace = false;
  for (let i = 0; i < 20 && !linked && !sameTrace; i++) {
    await sleep(500);
    const own = await ctx.jaeger.search({
      service: 'worker',
      operation: 'worker.fulfil_order',
      tags: { 'shop.order.id': orderId },
      sinceMs: ctx.startedAt,
    });
    sameTrace = own.some((t) => t[0].traceId === placed.traceId);
    linked = own.some(
      (t) => t[0].traceId !== placed.traceId && t.some((s) => s.kind === 'consumer' && s.links.some((l) => l.traceId === placed.traceId)),
    );
  }
  v.expect(
    linked,
    "a new order's fulfilment is a trace of its own, linked to the checkout's publish span",
    sameTrace
      ? ctx.verified.has(CHILD)
        ? "the worker still continues the publisher's trace: restart it with TRACE_CONSUME_AS=link (step 3)"
        : "the worker continues the publisher's trace, as it should for now: check the consumer span first (step 2), then restart the worker with TRACE_CONSUME_AS=link (step 3)"
      : `no fulfilment of order ${orderId} found yet: is the worker running?`,
  );
  // 3. A message that could not be processed: dead-lettered after its retries.
  if (ctx.verified.has(DEAD_LETTERED)) {
    v.unread.add('answer');
    v.found.push(
      `an order whose message went to the dead-letter queue (verified before${input.answer ? ': the --answer given now is not read again' : ''})`,
    );
  } else if (!input.answer) v.missing.push('the id of an order whose order.paid message was dead-lettered: --answer <order id>');
  else if (!ORDER_ID.test(input.answer.trim()))
    v.missing.push(`"${input.answer.trim()}" is not an order id (a UUID, as in shop.order.id): --answer <order id>`);
  else {
    const dead = await ctx.jaeger.search({
      service: 'worker',
      tags: { 'shop.order.id': input.answer.trim().toLowerCase() },
      sinceMs: ctx.startedAt,
    });
    const ok = v.expect(
      dead.some((t) => t.some((s) => s.events.some((e) => e.name === 'shop.message.dead_lettered'))),
      `order ${input.answer}'s message went to the dead-letter queue`,
      dead.length === 0
        ? `no worker trace of order ${input.answer} since the quest started: give the order's id (shop.order.id), not the message's, from a trace still in Jaeger (natively a restart of npm start empties it: find an order dead-lettered since)`
        : `order ${input.answer}'s message was not dead-lettered: find a worker trace with the shop.message.dead_lettered event`,
    );
    if (ok) ctx.verified.add(DEAD_LETTERED);
  }
  return v.result();
};
