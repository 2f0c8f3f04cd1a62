import { type Check, describe, submittedSpan, submittedTrace, Verdict } from '../context';
import { isAncestor, isHitBy, targetOf } from './common';

/** The span at fault in a slow checkout, found with the markers hidden. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const target = targetOf(ctx, 'latency');
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  if (!spans.some((s) => s.service === 'gateway' && s.kind === 'server' && s.name === 'POST /api/orders'))
    return v.fail('that trace is no checkout (no gateway "POST /api/orders" in it): submit the trace of a slow checkout');
  const span = submittedSpan(spans, input, v);
  if (!span) return v.result();
  if (isHitBy(span, target)) {
    v.expect(
      span.durationMs >= target.ms * 0.9,
      `${describe(span)} took ${Math.round(span.durationMs)} ms: the time is spent there`,
      `${describe(span)} took ${Math.round(span.durationMs)} ms in this trace: not where the time goes here. Submit a slow checkout's trace, and in it the long bar whose children do not explain it`,
    );
  } else if (spans.some((s) => isHitBy(s, target) && s.durationMs >= target.ms * 0.9 && isAncestor(spans, span, s))) {
    v.missing.push(`${describe(span)} is slow because of something it waits for: follow the time down to the span that is slow by itself`);
  } else v.missing.push(`${describe(span)} is not where the time goes: look for the long bar whose children do not explain it`);
  return v.result();
};
