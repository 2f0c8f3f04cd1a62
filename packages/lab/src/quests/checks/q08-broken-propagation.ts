import { type Check, Verdict } from '../context';
import { sleep } from './common';

const NOTICE = 'POST /warehouse/notices';

/** The warehouse notice of a checkout is in the checkout's trace again, once the code keeps the context. */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const { active } = await ctx.admin.active();
  if (!active.warehouse_notices) return v.fail(`the warehouse notices are off: ${ctx.settings.questCommand} start 8 turns them on`);
  const placed = await ctx.shop.checkout();
  if (placed.status !== 201) return v.fail(`a checkout failed (${placed.status}): is the shop running?`);
  const orderId = (placed.body as { id: string }).id;
  v.found.push(`a new checkout, order ${orderId}, trace ${placed.traceId}`);
  // Notices go out in batches, a fraction of a second later.
  for (let i = 0; i < 20; i++) {
    const spans = (await ctx.jaeger.trace(placed.traceId)) ?? [];
    if (spans.some((s) => s.service === 'inventory' && s.name === NOTICE)) {
      v.found.push("its warehouse notice is in the checkout's trace: the context travels with the notice");
      return v.result();
    }
    await sleep(500);
  }
  const elsewhere = await ctx.jaeger.search({
    service: 'inventory',
    operation: NOTICE,
    tags: { 'shop.order.id': orderId },
    sinceMs: ctx.startedAt,
  });
  return v.fail(
    elsewhere.length
      ? `the notice for order ${orderId} is in a trace of its own (${elsewhere[0][0].traceId}): the code that sends it lost the checkout's context`
      : `no warehouse notice for order ${orderId} reached inventory yet: is the shop running the code you changed?`,
  );
};
