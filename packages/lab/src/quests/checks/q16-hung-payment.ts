import { type Check, describe, submittedSpan, submittedTrace, Verdict } from '../context';
import { isCallTo } from './common';

/** The refund of a charge the caller gave up on, found in the trace of the failed checkout. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  v.expect(
    spans.some((s) => isCallTo(s, 'order', '/charges') && s.error),
    "order's call to payment timed out in that checkout",
    "in that trace order's call to payment did not time out: use a checkout that failed after about 10 s",
  );
  const span = submittedSpan(spans, input, v);
  if (!span) return v.result();
  // Until the refund is in the trace, the advice is to wait for it; once it is, to look again.
  const refunded = spans.some((s) => s.service === 'payment' && s.name === 'shop.payment.refunded');
  v.expect(
    span.service === 'payment' && span.name === 'shop.payment.refunded',
    `${describe(span)}: the money went back to the customer`,
    refunded
      ? `${describe(span)} is not where the money went back: it is in this trace, under payment: not the charge, nor the call that asks for the money back, but the moment payment gives it back`
      : `${describe(span)} is not where the money went back: it is not in this trace yet. Reload the trace after a while and look under payment`,
  );
  return v.result();
};
