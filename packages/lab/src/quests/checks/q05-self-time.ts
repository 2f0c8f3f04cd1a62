import { selfTimeMs } from '../../jaeger';
import { type Check, describe, submittedSpan, submittedTrace, Verdict } from '../context';
import { targetOf } from './common';

/** The service with the long self time: every span above it is slow too, only it is slow by itself. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const target = targetOf(ctx, 'latency');
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  const span = submittedSpan(spans, input, v);
  if (!span) return v.result();
  const own = selfTimeMs(span, spans);
  if (span.service === target.service && span.kind === 'server' && own >= target.ms * 0.8)
    v.found.push(`${describe(span)} spent ${Math.round(own)} ms by itself, not waiting for anyone: the culprit`);
  else if (span.durationMs - own >= target.ms * 0.5)
    v.missing.push(`${describe(span)} spends ${Math.round(own)} ms by itself; its total is long because of what it waits for: go down`);
  else {
    // Too far down, or off to the side: the way back is the same, from the long bars down.
    const slow = spans.some((s) => s.service === target.service && s.kind === 'server' && selfTimeMs(s, spans) >= target.ms * 0.8);
    v.missing.push(
      `${describe(span)} is not where the time goes: ${Math.round(span.durationMs)} ms in all, ${Math.round(own)} ms by itself. ${
        slow
          ? 'This checkout is slow: start again from its long bars and go down, to the last span that is still long'
          : 'This checkout is not one of the slow ones: submit a slow checkout, start from the long bars and go down'
      }`,
    );
  }
  return v.result();
};
