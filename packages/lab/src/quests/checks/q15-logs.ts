import { type Check, submittedTrace, Verdict } from '../context';
import { logLinesOf } from './logs';

const WANTED = "the provider_ref in payment's log line about that trace's failed charge: --answer <reference>";

/** From a log line to its trace, and back from the trace to another service's log line. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  // Both things the check wants, named at once when neither is given.
  if (!input.trace && !input.answer) v.missing.push(WANTED);
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  const charges = spans.filter((s) => s.service === 'payment' && s.name === 'payment.provider.charge');
  const failed = v.expect(
    charges.some((s) => s.tags['error.type'] === 'provider_error'),
    'a checkout whose payment failed at the provider',
    // A declined card fails the provider's span too (402), but the incident is the 502s.
    charges.some((s) => s.error)
      ? "that trace's charge was declined (a 402), which is not this incident: start from a 502 in the gateway's log"
      : "in that trace no charge failed at the provider: start from a 502 in the gateway's log",
  );
  if (!failed) return v.result();
  // The network's reference is in payment's log alone: no span carries it.
  const refs = (await logLinesOf(ctx, 'payment', spans[0].traceId)).flatMap((l) => (l.provider_ref ? [l.provider_ref] : []));
  if (!refs.length) return v.fail("payment wrote no line about the card network's failure for that trace (yet)");
  const given = input.answer?.trim().toUpperCase();
  v.expect(
    refs.includes(given ?? ''),
    `the card network's reference payment logged for that charge, ${given}`,
    input.answer
      ? `${input.answer} is not the provider_ref payment logged for that trace's failed charge: in payment's log (natively the console's trace view, under Log lines of this trace, or its Logs tab; the file is .run/logs/payment.log; compose: Loki, {service_name="payment"}), find the line with that trace_id whose provider_ref looks like NET-0A1B2C3D`
      : WANTED,
  );
  return v.result();
};
