import type { FlatSpan } from '../../jaeger';
import { type Check, submittedTrace, Verdict } from '../context';
import { isCallTo } from './common';

const attempts = (spans: FlatSpan[]) => spans.filter((s) => isCallTo(s, 'order', '/charges')).sort((a, b) => a.startMs - b.startMs);
/** The pauses between one call's end and the next call's start, in ms. */
const gapsOf = (calls: FlatSpan[]) => calls.slice(1).map((s, i) => s.startMs - (calls[i].startMs + calls[i].durationMs));
// The storm retries at once; the fix waits 25 ms at the very least (50 ms x 0.5). A storm's trace
// is told by any retry back to back: on a busy machine one of its gaps may stall past the limit.
const BACK_TO_BACK_MS = 20;
/** Checkouts the check places after the fix, at most, to see one that retried. */
const MAX_AFTER = 6;

/** The storm counted in a trace, then calmed: retries with backoff, a few at most. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const spans = await submittedTrace(ctx, input, v);
  if (spans) {
    const calls = attempts(spans);
    const n = calls.length;
    const answer = input.answer?.trim();
    if (n < 3)
      v.missing.push(
        n === 2
          ? 'that checkout called payment twice, one retry: a hiccup, not yet a storm. Pick a checkout whose charge failed again and again'
          : `that checkout called payment ${n === 1 ? 'once' : `${n} times`}, no retry: pick a checkout whose charge failed again and again, its trace shows the retries`,
      );
    else if (!gapsOf(calls).some((g) => g < BACK_TO_BACK_MS))
      v.missing.push(
        'that checkout waited before its retries: it is not the storm. Count the calls in a checkout from before the fix, whose retries come back to back',
      );
    else if (!answer) v.missing.push('how many times order called payment in that checkout: --answer <number>');
    else if (!/^\d+$/.test(answer)) v.missing.push(`--answer takes a number (how many times order called payment), not "${answer}"`);
    else
      v.expect(
        Number(answer) === n,
        `${n} calls to payment in one checkout: the storm`,
        `${answer} is not how many times order called payment in that trace: count order's POST client spans to /charges`,
      );
  }
  const { active } = await ctx.admin.active();
  const storm = active.retry_storm;
  if (
    !v.expect(
      storm?.fix === true,
      'the fix is on: retries back off with jitter',
      `the fix: ${ctx.settings.faultCommand} set retry_storm fix=true (the storm stays configured; the fix changes how order retries)`,
    )
  )
    return v.result();
  // Checkouts now, with payment still failing 7 charges in 10: each makes at most 1 + 3 attempts,
  // spaced out. One whose first charge went through has no retry to time, so the check places up
  // to MAX_AFTER until one retried (all six going through at once: about 1 in 1,400).
  let after: FlatSpan[] = [];
  for (let i = 0; i < MAX_AFTER && after.length < 2; i++) {
    const placed = await ctx.shop.checkout();
    after = attempts((await ctx.shop.traceOf(placed.traceId, ['payment'])) ?? []);
  }
  const times = (n: number) => (n === 1 ? 'once' : `${n} times`);
  v.expect(
    after.length <= 4,
    `a checkout after the fix called payment ${times(after.length)}`,
    `a checkout after the fix still called payment ${times(after.length)}`,
  );
  if (after.length < 2)
    v.missing.push(
      `none of ${MAX_AFTER} checkouts after the fix retried its charge, so there was no pause to time: is payment still failing? (${ctx.settings.questCommand} start 7 sets the incident up again)`,
    );
  else
    v.expect(
      gapsOf(after).every((g) => g >= BACK_TO_BACK_MS),
      'with a pause before every retry',
      'the retries still come back to back',
    );
  return v.result();
};
