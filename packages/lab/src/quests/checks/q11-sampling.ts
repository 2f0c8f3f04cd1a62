import { type Check, Verdict } from '../context';
import { sleep } from './common';

const DECLINED = '4000000000000002';
const CHECKOUTS = 36;

/** Tail sampling in the Collector: under load, every failed checkout is kept and most good ones are not. */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const sent: { traceId: string; failed: boolean }[] = [];
  for (let i = 0; i < CHECKOUTS; i++) {
    const failed = i % 6 === 0;
    const placed = await ctx.shop.checkout(failed ? DECLINED : undefined);
    sent.push({ traceId: placed.traceId, failed: placed.status !== 201 });
  }
  const errors = sent.filter((s) => s.failed);
  v.found.push(`${CHECKOUTS} checkouts sent, each sampled at its source, ${errors.length} of them declined`);
  // The Collector decides 10 s after a trace's last span; give it that, and Jaeger a moment more.
  await sleep(14_000);
  const kept = new Set<string>();
  for (const s of sent) if (await ctx.jaeger.trace(s.traceId)) kept.add(s.traceId);
  const errorsKept = errors.filter((s) => kept.has(s.traceId)).length;
  const goodSent = sent.length - errors.length;
  const goodKept = sent.filter((s) => !s.failed && kept.has(s.traceId)).length;
  v.expect(
    errorsKept === errors.length,
    `every failed checkout's trace was kept (${errorsKept} of ${errors.length})`,
    `only ${errorsKept} of ${errors.length} failed checkouts were kept: errors must always be kept`,
  );
  v.expect(
    goodKept < goodSent / 2,
    `and only ${goodKept} of ${goodSent} good ones: the rest were dropped by the sampler`,
    `${goodKept} of ${goodSent} good checkouts were kept: nothing is sampling yet. Turn tail sampling on in the Collector`,
  );
  return v.result();
};
