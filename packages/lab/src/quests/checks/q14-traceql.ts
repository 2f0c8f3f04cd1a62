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

/** One TraceQL query that finds every failed payment since the quest started, and nothing else. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const tempo = ctx.settings.tempoUrl;
  if (!tempo) return v.fail('Tempo is not reachable: this quest runs with docker compose');
  const query = input.answer?.trim();
  if (!query) return v.fail("your TraceQL query: --answer '{ ... }'");
  // Both searches end a few seconds back: a trace still arriving (load running) is in both or neither.
  const endAt = Date.now() - SETTLE_MS;
  let mine: Set<string>;
  try {
    mine = await search(tempo, query, ctx.startedAt, endAt);
  } catch (err) {
    return v.fail((err as Error).message);
  }
  const truth = await search(tempo, TRUTH, ctx.startedAt, endAt);
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
  v.expect(extra === 0, 'and no other trace', `it also finds ${extra} trace(s) without a failed payment`);
  return v.result();
};
