import type { FlatSpan } from '../../jaeger';
import { type Check, type QuestContext, Verdict } from '../context';
import { sleep } from './common';

const DECLINED = '4000000000000002';
const CHECKOUTS = 36;
/**
 * tail-sampling.yaml keeps every trace slower than this (its latency policy). A kept good trace at
 * least this slow says nothing about the share of the rest, so the check leaves it out.
 */
export const SLOW_TRACE_MS = 2000;
/** Below this many fast good checkouts the share says too little: the machine was too busy. */
const MIN_FAST = 12;

/** From the first span's start to the last span's end: what a latency policy measures. */
const lengthOf = (spans: FlatSpan[]) => Math.max(...spans.map((s) => s.startMs + s.durationMs)) - Math.min(...spans.map((s) => s.startMs));

/**
 * The traces Jaeger holds, by id, with their lengths: polled until `settled` says the verdict can
 * no longer change (then once more, a moment later, for the spans still on their way), or for at
 * most 14 s: the Collector decides 10 s after a trace's first span, and Jaeger needs a moment more.
 */
async function keptTraces(ctx: QuestContext, sent: { traceId: string }[], settled: (kept: Map<string, number>) => boolean) {
  const kept = new Map<string, number>();
  const poll = async () => {
    for (const s of sent) {
      const spans = await ctx.jaeger.trace(s.traceId);
      if (spans?.length) kept.set(s.traceId, lengthOf(spans));
    }
  };
  const deadline = Date.now() + 14_000;
  while (Date.now() < deadline) {
    await sleep(1000);
    await poll();
    if (settled(kept)) {
      await sleep(1500);
      break;
    }
  }
  await poll();
  return kept;
}

/** Tail sampling in the Collector: under load, every failed checkout is kept and most good ones are not. */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const sent: { traceId: string; failed: boolean }[] = [];
  // Every sixth fails, the last one too: once it is in Jaeger, the Collector has decided on all.
  for (let i = 0; i < CHECKOUTS; i++) {
    const failed = i % 6 === 5;
    const placed = await ctx.shop.checkout(failed ? DECLINED : undefined);
    sent.push({ traceId: placed.traceId, failed: placed.status !== 201 });
  }
  const errors = sent.filter((s) => s.failed);
  const good = sent.filter((s) => !s.failed);
  v.found.push(`${CHECKOUTS} checkouts sent, each sampled at its source, ${errors.length} of them failed`);
  const kept = await keptTraces(ctx, sent, (k) => {
    // Half the good ones already in Jaeger: they cannot all be slow, nothing is sampling them.
    if (good.filter((s) => k.has(s.traceId)).length >= good.length / 2) return true;
    // Every failed one kept, the last checkout included: the decisions are made.
    return errors.length > 0 && errors.every((s) => k.has(s.traceId)) && k.has(sent[sent.length - 1].traceId);
  });
  const errorsKept = errors.filter((s) => kept.has(s.traceId)).length;
  // A sampler drops only fast good traces: a dropped one was fast, a kept slow one had no choice.
  const slowKept = good.filter((s) => (kept.get(s.traceId) ?? 0) >= SLOW_TRACE_MS).length;
  const fast = good.length - slowKept;
  const fastKept = good.filter((s) => kept.has(s.traceId)).length - slowKept;
  const slowNote = slowKept ? ` (${slowKept} more, slower than ${SLOW_TRACE_MS / 1000} s, were kept as slow)` : '';
  v.expect(
    errorsKept === errors.length,
    `every failed checkout's trace was kept (${errorsKept} of ${errors.length})`,
    `only ${errorsKept} of ${errors.length} failed checkouts were kept: errors must always be kept`,
  );
  if (fast < MIN_FAST) {
    v.missing.push(
      `only ${fast} of ${good.length} good checkouts finished within ${SLOW_TRACE_MS / 1000} s: too few to tell what the sampler does. Wait for the machine to calm down and check again`,
    );
  } else {
    v.expect(
      fastKept < fast / 2,
      `and only ${fastKept} of ${fast} good ones${slowNote}: the rest were dropped by the sampler`,
      `${fastKept} of ${fast} good checkouts were kept${slowNote}: the Collector is not sampling yet (this check sends its checkouts sampled at the edge, so a head sampler in the services does not count). Turn tail sampling on in the Collector: stop npm start and run OTELCOL_EXTRA_CONFIG=tail-sampling.yaml npm start (compose: OTELCOL_EXTRA_CONFIG=tail-sampling.yaml docker compose up -d)`,
    );
  }
  return v.result();
};
