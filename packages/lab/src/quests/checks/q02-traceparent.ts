import { type Check, type QuestContext, submittedTrace, Verdict } from '../context';
import { entryOf } from './common';
import { logLinesOf } from './logs';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * A request the learner traced by hand: the trace id and the parent span id they wrote in
 * traceparent; then (step 5) a trace id they sent with flags 00, which the gateway handled and
 * nobody recorded.
 */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const spans = await submittedTrace(ctx, input, v);
  const parent = input.span?.trim().toLowerCase();
  const ask = 'the parent span id you put in your traceparent: --span <16 hex digits>';
  // Everything the check wants is listed at once, the span id too when the trace is missing.
  if (!spans && !parent) v.missing.push(ask);
  if (spans) {
    const entry = entryOf(spans);
    if (!parent) v.missing.push(ask);
    else if (!SPAN_ID.test(parent)) v.missing.push(`"${input.span?.trim()}" is not a span id (16 hex digits): ${ask}`);
    else if (entry?.service !== 'gateway' || entry.kind !== 'server')
      v.missing.push("the trace should start with the gateway's server span");
    else if (entry.tags.synthetic_request === 'true')
      v.missing.push(
        'that request was sent by a program (its baggage says synthetic_request=true: the load generator, or a quest check): send one yourself, with your own traceparent',
      );
    else if (!entry.parentId)
      v.missing.push(
        "the gateway's span has no parent: the gateway started that trace itself, so the request carried no traceparent of yours. Send one: traceparent: 00-<trace id>-<span id>-01",
      );
    else {
      const named = v.expect(
        entry.parentId === parent,
        `the gateway's span names ${parent} as its parent: your traceparent was honoured`,
        `the gateway's span does not name ${parent} as its parent: give the span id you wrote in your traceparent (00-<trace id>-<span id>-01)`,
      );
      if (named)
        v.expect(
          !spans.some((s) => s.spanId === parent),
          'your span is not in the trace: nobody exported it, as expected',
          "the parent span should be yours, not one of the shop's",
        );
    }
  }
  await unsampled(ctx, input.answer?.trim().toLowerCase(), input.trace?.trim().toLowerCase(), v);
  return v.result();
};

/** Step 5: the trace id sent with flags 00 reached the gateway (its log line says so) and is not in Jaeger. */
async function unsampled(ctx: QuestContext, id: string | undefined, sampled: string | undefined, v: Verdict): Promise<void> {
  const ask = 'step 5: the trace id you sent with flags 00, --answer <32 hex digits>';
  if (!id) return void v.missing.push(ask);
  if (!TRACE_ID.test(id)) return void v.missing.push(`"${id}" is not a trace id (32 hex digits): ${ask}`);
  if (id === sampled) return void v.missing.push('step 5 wants a new trace id, sent with flags 00: --answer <that trace id>');
  if (await ctx.jaeger.trace(id).catch(() => undefined))
    return void v.missing.push(`trace ${id} is in Jaeger, so it was sampled: send a new trace id with flags 00 (…-00 at the end)`);
  const lines = await logLinesOf(ctx, 'gateway', id);
  if (lines.length === 0)
    return void v.missing.push(
      `the gateway has no log line with trace id ${id} since the quest started: send a request with traceparent: 00-${id}-<span id>-00, then check again (logs take a second)`,
    );
  // Not in Jaeger is not enough: a sampler in the Collector (quest 11) drops sampled traces too.
  // The log line says which (natively; Loki's copy may not carry the flags).
  const sampledFlags = lines.find((l) => l.trace_flags !== undefined && l.trace_flags !== '00')?.trace_flags;
  v.expect(
    !sampledFlags || lines.some((l) => l.trace_flags === '00'),
    `trace ${id} reached the gateway (its log line carries that trace id) and no span of it was recorded: the flags said not sampled`,
    `trace ${id} reached the gateway with flags ${sampledFlags}, sampled, and was dropped later (by a sampler in the Collector?): step 5 wants the flags to say not sampled, 00-<new trace id>-<span id>-00`,
  );
}
