import { setTimeout as sleep } from 'node:timers/promises';
import { type Check, Verdict } from '../context';

const TRUTH = '{ resource.service.name = "payment" && status = error }';
/** How far back the searches end, so that the traces in their window have all their spans. */
const SETTLE_MS = 5000;

/** The traces `q` finds in the window [startedAt, endAt], in ms: one window for both searches, so they see the same traces. */
async function search(tempoUrl: string, q: string, startedAt: number, endAt: number): Promise<Set<string>> {
  const params = new URLSearchParams({
    q,
    start: String(Math.floor(startedAt / 1000)),
    end: String(Math.ceil(endAt / 1000)),
    limit: '1000',
  });
  const res = await fetch(`${tempoUrl}/api/search?${params}`);
  if (!res.ok) throw new Error(`Tempo refused the query (${res.status}): ${(await res.text()).slice(0, 200)}`);
  const body = (await res.json()) as { traces?: { traceID: string }[] };
  return new Set((body.traces ?? []).map((t) => t.traceID.padStart(32, '0')));
}

/** A trace with errors outside payment (inventory, order, the gateway), made by the check: in Tempo now. */
const CONTRAST = 'a checkout of a missing product';
/** How long the check waits for Tempo to have that trace (it cuts a trace about 10 s after its last span). */
const CONTRAST_WAIT_MS = 40_000;

/**
 * Errors that are not a failed payment, so that a query for any error is told apart from the
 * answer: the flaky payments alone make no error outside a trace whose payment failed. Once per
 * play of the quest: the trace stays in Tempo for the checks after.
 */
async function placeContrast(ctx: Parameters<Check>[0], tempo: string): Promise<boolean> {
  if (ctx.verified.has(CONTRAST)) return true;
  const placed = await ctx.shop.checkoutMissingProduct();
  const placedAt = Date.now();
  for (const until = placedAt + CONTRAST_WAIT_MS; Date.now() < until; ) {
    await sleep(1000);
    const found = await search(tempo, '{ resource.service.name = "inventory" && status = error }', ctx.startedAt, Date.now() + 1000);
    if (found.has(placed.traceId)) {
      ctx.verified.add(CONTRAST);
      // Inside the searches' window, which ends SETTLE_MS back.
      await sleep(Math.max(0, placedAt + 1000 + SETTLE_MS - Date.now()));
      return true;
    }
  }
  return false;
}

/** One TraceQL query that finds every failed payment since the quest started, and nothing else. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const tempo = ctx.settings.tempoUrl;
  if (!tempo) return v.fail('Tempo is not reachable: this quest runs with docker compose');
  const query = input.answer?.trim();
  if (!query) return v.fail("your TraceQL query: --answer '{ ... }'");
  try {
    // A query Tempo refuses is said at once, before the check places anything.
    await search(tempo, query, ctx.startedAt, Date.now());
  } catch (err) {
    return v.fail((err as Error).message);
  }
  const contrast = await placeContrast(ctx, tempo).catch(() => false);
  // Both searches end a few seconds back: a trace still arriving (load running) is in both or neither.
  const endAt = Date.now() - SETTLE_MS;
  const [mine, truth] = await Promise.all([search(tempo, query, ctx.startedAt, endAt), search(tempo, TRUTH, ctx.startedAt, endAt)]);
  if (!truth.size)
    return v.fail(
      `no payment has failed since the quest started (leaving out the last ${SETTLE_MS / 1000} s, whose traces may still be arriving): place a few checkouts first, or wait a few seconds`,
    );
  const missed = [...truth].filter((t) => !mine.has(t)).length;
  const extra = [...mine].filter((t) => !truth.has(t)).length;
  v.expect(
    missed === 0,
    `it finds all ${truth.size} traces with a failed payment`,
    `it misses ${missed} of the ${truth.size} traces with a failed payment`,
  );
  v.expect(
    extra === 0,
    contrast
      ? "and no other trace, not even the check's checkout of a missing product, whose errors are in inventory, order and the gateway"
      : 'and no other trace',
    `it also finds ${extra} trace(s) without a failed payment${contrast ? ' (the check placed a checkout of a missing product: its errors are in inventory, order and the gateway, not in payment)' : ''}`,
  );
  return v.result();
};
