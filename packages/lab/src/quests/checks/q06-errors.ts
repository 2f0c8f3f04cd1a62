import { type Check, describe, submittedSpan, submittedTrace, Verdict } from '../context';
import { entryOf, isHitBy, targetOf } from './common';

/** Where an error starts, as opposed to every span that reports it on the way up. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const target = targetOf(ctx, 'error');
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  const entry = entryOf(spans);
  v.expect(
    Boolean(entry?.error),
    "a failed checkout: the gateway's span is marked as an error",
    'that trace did not fail: use a checkout that answered an error',
  );
  const span = submittedSpan(spans, input, v);
  if (!span) return v.result();
  if (isHitBy(span, target) && span.error) v.found.push(`${describe(span)}: where the error started`);
  else if (span.error) v.missing.push(`${describe(span)} reports an error it got from below: find the deepest span in error`);
  else v.missing.push(`${describe(span)} is not in error: look for the spans with status ERROR`);
  return v.result();
};
