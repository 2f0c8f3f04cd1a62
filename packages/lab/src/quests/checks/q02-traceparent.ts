import { type Check, submittedTrace, Verdict } from '../context';
import { entryOf } from './common';

/** A request the learner traced by hand: the trace id and the parent span id they wrote in traceparent. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  const parent = input.span?.trim().toLowerCase();
  if (!parent || !/^[0-9a-f]{16}$/.test(parent)) return v.fail('the parent span id you put in your traceparent: --span <16 hex digits>');
  const entry = entryOf(spans);
  v.expect(
    entry?.service === 'gateway' && entry.kind === 'server',
    'the trace starts at the gateway',
    "the trace should start with the gateway's server span",
  );
  v.expect(
    entry?.parentId === parent,
    `the gateway's span names ${parent} as its parent: your traceparent was honoured`,
    `the gateway's span has parent ${entry?.parentId ?? 'none'}, not ${parent}: send the request with the header traceparent: 00-<your trace id>-<your span id>-01`,
  );
  v.expect(
    !spans.some((s) => s.spanId === parent),
    'your span is not in the trace: nobody exported it, as expected',
    "the parent span should be yours, not one of the shop's",
  );
  return v.result();
};
