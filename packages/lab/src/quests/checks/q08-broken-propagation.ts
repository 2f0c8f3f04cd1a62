import type { FlatSpan } from '../../jaeger';
import { type Check, Verdict } from '../context';
import { sleep } from './common';

const NOTICE = 'POST /warehouse/notices';
/** Checkouts placed at once: notices batched together must each keep their own checkout's context. */
const AT_ONCE = 3;

const noticesIn = (spans: FlatSpan[]) => spans.filter((s) => s.service === 'inventory' && s.name === NOTICE);

/**
 * Each checkout's warehouse notice is in that checkout's trace again, and only there, once the code
 * keeps every notice's context with it: checkouts placed at once are batched together, so a context
 * shared by the batch (the last one seen, say) files notices under the wrong checkout.
 */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const { active } = await ctx.admin.active();
  if (!active.warehouse_notices) return v.fail(`the warehouse notices are off: ${ctx.settings.questCommand} start 8 turns them on`);
  const placed = await Promise.all(Array.from({ length: AT_ONCE }, () => ctx.shop.checkout()));
  const failed = placed.find((p) => p.status !== 201);
  if (failed) return v.fail(`a checkout failed (${failed.status}): is the shop running?`);
  const orders = placed.map((p) => ({ traceId: p.traceId, orderId: (p.body as { id: string }).id }));
  v.found.push(`${AT_ONCE} checkouts at once: orders ${orders.map((o) => o.orderId.slice(0, 8)).join(', ')}`);
  // Notices go out in batches, a fraction of a second later; wait until each is in these traces,
  // or found in a trace of its own (then waiting longer would not move it).
  let traces: FlatSpan[][] = [];
  for (let i = 0; i < 20; i++) {
    traces = await Promise.all(orders.map(async (o) => (await ctx.jaeger.trace(o.traceId)) ?? []));
    if (noticesIn(traces.flat()).length >= AT_ONCE) break;
    const seen = new Set(noticesIn(traces.flat()).map((s) => s.tags['shop.order.id']));
    const unseen = orders.filter((o) => !seen.has(o.orderId));
    const found = await Promise.all(unseen.map(async (o) => (await elsewhere(ctx, o.orderId)).some((t) => t[0]?.traceId !== o.traceId)));
    if (found.every(Boolean)) break;
    await sleep(500);
  }
  for (const [i, o] of orders.entries()) {
    const notices = noticesIn(traces[i]);
    const others = notices.filter((s) => s.tags['shop.order.id'] !== o.orderId);
    if (others.length)
      v.missing.push(
        `trace ${o.traceId} holds the notice of another order (${others.map((s) => String(s.tags['shop.order.id']).slice(0, 8)).join(', ')}): each notice must keep the context of its own checkout, not one shared by the batch`,
      );
    else if (notices.length === 0) v.missing.push(await lost(ctx, o.orderId));
  }
  if (!v.missing.length)
    v.found.push("each warehouse notice is in its own checkout's trace, and only there: the context travels with the notice");
  return v.result();
};

/** The traces since the quest started that hold the notice of an order. */
const elsewhere = (ctx: Parameters<Check>[0], orderId: string) =>
  ctx.jaeger.search({ service: 'inventory', operation: NOTICE, tags: { 'shop.order.id': orderId }, sinceMs: ctx.startedAt });

/** Where the notice of an order went, if not into its checkout's trace. */
async function lost(ctx: Parameters<Check>[0], orderId: string): Promise<string> {
  const found = await elsewhere(ctx, orderId);
  if (!found.length) return `no warehouse notice for order ${orderId} reached inventory yet: is the shop running the code you changed?`;
  const where = found[0];
  // In another checkout's trace: the batch sent it in the context of another order.
  const checkout = where.some((s) => s.service === 'gateway' && s.name === 'POST /api/orders');
  return checkout
    ? `the notice for order ${orderId} is in another checkout's trace (${where[0].traceId}): the code that sends it used another order's context, not its own`
    : `the notice for order ${orderId} is in a trace of its own (${where[0].traceId}): the code that sends it lost the checkout's context`;
}
