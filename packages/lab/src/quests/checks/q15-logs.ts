import { type Check, submittedTrace, Verdict } from '../context';
import { logLinesOf } from './logs';

/** From a log line to its trace, and back from the trace to another service's log line. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  // Both things the check wants, named at once when neither is given.
  if (!input.trace && !input.answer)
    v.missing.push("the duration_ms of payment's log line for that trace's POST /charges: --answer <number>");
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  v.expect(
    // A declined card fails the provider's span too (402), but the incident is the 502s.
    spans.some((s) => s.service === 'payment' && s.name === 'payment.provider.charge' && s.tags['error.type'] === 'provider_error'),
    'a checkout whose payment failed at the provider',
    "that trace has no payment.provider.charge that failed at the provider (a declined card is a 402, not this incident): start from a 502 in the gateway's log",
  );
  const lines = (await logLinesOf(ctx, 'payment', spans[0].traceId)).filter((l) => l.path === '/charges');
  if (!lines.length) return v.fail("payment wrote no log line for that trace's charge (yet)");
  // 184, also written with its unit (184ms, 184 ms).
  const given = Number(input.answer?.trim().replace(/\s*ms$/i, ''));
  v.expect(
    lines.some((l) => l.duration_ms === given),
    `payment's log line for that charge says it took ${given} ms`,
    input.answer
      ? `${input.answer} is not the duration_ms of payment's log line for that trace's POST /charges`
      : "the duration_ms of payment's log line for that trace's POST /charges: --answer <number>",
  );
  return v.result();
};
