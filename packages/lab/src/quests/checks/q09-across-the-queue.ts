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
  if (ctx.verified.has(CHILD))
    v.found.push(
      `the worker's consumer span, a child of order's publish (verified before${input.span ? ': the --trace and --span given now are not read again' : ''})`,
    );
  else {
    const spans = await submittedTrace(ctx, input, v);
    const span = spans && submittedSpan(spans, input, v);
    if (spans && span) {
      const parent = spans.find((s) => s.spanId === span.parentId);
      const grand = parent && spans.find((s) => s.spanId === parent.parentId);
      const retry = span.kind === 'consumer' && parent?.kind === 'producer' && parent.service === 'worker';
      const ok = v.expect(
        span.service === 'worker' && span.kind === 'consumer' && parent?.kind === 'producer' && grand?.name === 'outbox.relay',
        `${describe(span)}: a consumer span, child of order's publish, under outbox.relay`,
        retry
          ? `${describe(span)} is the delivery of a retry: its parent is the worker's own publish of the copy. Pick the first delivery, whose parent is order's publish`
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
      ? "the worker still continues the publisher's trace: restart it with TRACE_CONSUME_AS=link"
      : `no fulfilment of order ${orderId} found yet: is the worker running?`,
  );
  // 3. A message that could not be processed: dead-lettered after its retries.
  if (ctx.verified.has(DEAD_LETTERED)) v.found.push('an order whose message went to the dead-letter queue (verified before)');
  else if (!input.answer) v.missing.push('the id of an order whose order.paid message was dead-lettered: --answer <order id>');
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
      `no dead-lettered message for order ${input.answer}: find a worker trace with the shop.message.dead_lettered event`,
    );
    if (ok) ctx.verified.add(DEAD_LETTERED);
  }
  return v.result();
};
