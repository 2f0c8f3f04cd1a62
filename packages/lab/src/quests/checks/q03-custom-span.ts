import { type Check, describe, Verdict } from '../context';
import { workerLinkedAway } from './common';

const NAME = 'worker.render_label';

/** The learner wrapped the label rendering in a span: the check places an order and looks for it. */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const placed = await ctx.shop.checkout();
  if (placed.status !== 201) return v.fail(`a checkout failed (${placed.status}): is the shop running?`);
  const spans = (await ctx.shop.traceOf(placed.traceId, ['worker'])) ?? [];
  v.found.push(`a new checkout, trace ${placed.traceId}`);
  const span = spans.find((s) => s.name === NAME);
  if (!span) return v.fail(workerLinkedAway(spans) ?? (await missing(ctx)));
  const parent = spans.find((s) => s.spanId === span.parentId);
  v.expect(
    span.service === 'worker' && parent?.name === 'worker.fulfil_order',
    `"${NAME}" is a child of worker.fulfil_order`,
    `"${NAME}" hangs under ${parent ? describe(parent) : 'nothing'}: start it inside the fulfilment, while worker.fulfil_order is the active span`,
  );
  for (const attr of ['shop.shipment.id', 'shop.label.format'])
    v.expect(span.tags[attr] !== undefined && span.tags[attr] !== '', `attribute ${attr}`, `attribute ${attr} on "${NAME}"`);
  const shipment = parent?.tags['shop.shipment.id'];
  if (span.tags['shop.shipment.id'] !== undefined && shipment !== undefined)
    v.expect(
      span.tags['shop.shipment.id'] === shipment,
      'shop.shipment.id is the shipment the label is for',
      `shop.shipment.id is "${span.tags['shop.shipment.id']}", not the id of the shipment being labelled (the one worker.fulfil_order names)`,
    );
  // The printer is no database and no service: a span with those inside wraps more than the wait.
  const inside = spans.filter((s) => s.parentId === span.spanId);
  v.expect(
    inside.length === 0,
    'it wraps the label printer alone',
    `it wraps more than the label: ${inside.map(describe).join(', ')} ${inside.length === 1 ? 'is' : 'are'} inside it; wrap only the call that renders the label`,
  );
  const rendered = span.events.find((e) => e.name === 'shop.label.rendered');
  v.expect(!!rendered, 'event shop.label.rendered', `an event shop.label.rendered on "${NAME}", when the label is done`);
  // "Done" is after the wait: an event added before the await comes at the span's start.
  if (rendered) {
    const into = rendered.atMs - span.startMs;
    v.expect(
      into >= span.durationMs / 2,
      'it comes when the label is done',
      `shop.label.rendered comes ${into.toFixed(1)} ms into a span of ${span.durationMs.toFixed(1)} ms, before the label is done: add it after the rendering (after the await)`,
    );
  }
  v.expect(
    span.durationMs >= 15,
    `it covers the slow work (${Math.round(span.durationMs)} ms)`,
    `it lasts ${span.durationMs.toFixed(1)} ms: wrap the rendering itself, the await included`,
  );
  return v.result();
};

/** Why the span is not in the checkout's trace: made in a trace of its own, or not made at all. */
async function missing(ctx: Parameters<Check>[0]): Promise<string> {
  const elsewhere = await ctx.jaeger.search({ service: 'worker', operation: NAME, sinceMs: ctx.startedAt, limit: 1 }).catch(() => []);
  const own = elsewhere[0]?.find((s) => s.name === NAME);
  const parent = own && elsewhere[0]?.find((s) => s.spanId === own.parentId);
  if (parent)
    return `"${NAME}" is not in the checkout's trace but in another one (${own.traceId}), under ${describe(parent)}: is the worker's work a trace of its own (TRACE_CONSUME_AS=link, quest 9)? Run npm start again without it (compose: docker compose up -d worker), then check again`;
  if (own)
    return `"${NAME}" is not in the checkout's trace but in a trace of its own (${own.traceId}): it was started outside the fulfilment's context, as a root. Start it while worker.fulfil_order is the active span (tracer.startActiveSpan, or the active context)`;
  return `no span named "${NAME}" in that trace: did you rebuild and restart the worker after your change?`;
}
