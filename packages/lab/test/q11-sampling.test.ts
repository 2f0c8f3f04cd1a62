// Quest 11's check judges what the Collector kept. Played here against a fake shop and a fake
// Jaeger that keep exactly the traces each case says, so every branch of the verdict is seen.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { CHECKS, type CheckResult, type FlatSpan, type QuestContext, SLOW_TRACE_MS } from '../src';

const DECLINED = '4000000000000002';

/** What the Collector kept of the i-th good checkout: dropped, or kept with the trace lasting that long. */
type Keep = (goodIndex: number) => 'dropped' | number;

const span = (traceId: string, spanId: string, startMs: number, durationMs: number, error: boolean): FlatSpan => ({
  traceId,
  spanId,
  links: [],
  service: 'gateway',
  name: 'POST /api/orders',
  kind: 'server',
  error,
  startMs,
  durationMs,
  tags: {},
  events: [],
});

async function play(keepGood: Keep, keepErrors = true) {
  let n = 0;
  let good = 0;
  const traces = new Map<string, FlatSpan[]>();
  const shop = {
    async checkout(card?: string) {
      const traceId = (++n).toString(16).padStart(32, '0');
      const failed = card === DECLINED;
      const kept = failed ? (keepErrors ? 120 : 'dropped') : keepGood(good++);
      // Two spans, the second ending last: the trace lasts from the first start to the last end.
      const at = Date.now();
      if (kept !== 'dropped')
        traces.set(traceId, [span(traceId, '1'.repeat(16), at, 50, failed), span(traceId, '2'.repeat(16), at + kept - 10, 10, false)]);
      return { status: failed ? 402 : 201, traceId };
    },
  };
  let lookups = 0;
  const jaeger = {
    trace: async (id: string) => {
      lookups++;
      return traces.get(id);
    },
  };
  const result = await CHECKS[11]({ shop, jaeger } as unknown as QuestContext, {});
  return { ...result, lookups };
}

describe("quest 11's check: every failed checkout kept, most good ones dropped", () => {
  // The check waits for the Collector's decisions (14 s at most): the four cases wait together.
  type Played = CheckResult & { lookups: number };
  let pass: Played;
  let none: Played;
  let busy: Played;
  let lostError: Played;
  before(async () => {
    [pass, none, busy, lostError] = await Promise.all([
      // 14 of 30 good checkouts slower than the policy: all kept; of the 16 fast ones, 2 kept.
      play((i) => (i < 14 ? SLOW_TRACE_MS + 200 : i < 16 ? 300 : 'dropped')),
      // No sampler: everything kept, slow or not.
      play((i) => (i < 14 ? SLOW_TRACE_MS + 200 : 300)),
      // The machine crawled: 25 of 30 good checkouts slow.
      play((i) => (i < 25 ? SLOW_TRACE_MS + 200 : 'dropped')),
      // A sampler that keeps a share of everything, errors included.
      play((i) => (i % 10 ? 'dropped' : 300), false),
    ]);
  });

  it('when the sampler drops most fast good traces and keeps the slow ones, then it passes, and says how many were kept as slow', () => {
    assert.equal(pass.passed, true, pass.missing.join('; '));
    assert.match(pass.found.join('\n'), /only 2 of 16 good ones \(14 more, slower than 2 s, were kept as slow\)/);
  });

  it('when nothing samples, then the slow ones are left out and the fast ones, all kept, fail it', () => {
    assert.equal(none.passed, false);
    assert.match(none.missing.join('\n'), /16 of 16 good checkouts were kept .*the Collector is not sampling yet/);
  });

  it('when most good checkouts were slow, then it says there are too few fast ones to tell', () => {
    assert.equal(busy.passed, false);
    assert.match(busy.missing.join('\n'), /only 5 of 30 good checkouts finished within 2 s: too few to tell/);
  });

  it('when a failed checkout was dropped, then it fails however few good ones were kept', () => {
    assert.equal(lostError.passed, false);
    assert.match(lostError.missing.join('\n'), /only 0 of 6 failed checkouts were kept/);
  });

  it('when the verdict can no longer change, then it stops asking Jaeger; while a failed checkout is missing, it waits out the Collector', () => {
    // Jaeger is asked about all 36 traces once a second: settled at once, it asks twice (the poll
    // that settles and the one after a moment for spans on their way); waiting, about 14 times.
    for (const [name, played] of Object.entries({ pass, none, busy })) assert.equal(played.lookups, 2 * 36, name);
    assert.ok(lostError.lookups >= 10 * 36, `waited for the decisions: ${lostError.lookups / 36} polls`);
  });
});
