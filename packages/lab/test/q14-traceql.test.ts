// Quest 14 runs against Tempo, which only compose has: its check is played here against a fake
// Tempo search API that answers TraceQL queries from a table.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';
import { CHECKS, type LabSettings, labSettings, loadQuests, type QuestContext } from '../src';

const FAILED = ['1a', '2b', '3c'];
/** The check's own checkout of a missing product: errors in inventory, order and the gateway only. */
const CONTRAST = '4d';
const ANSWERS: Record<string, string[]> = {
  // The check's own truth, and a learner's query that finds the same traces.
  '{ resource.service.name = "payment" && status = error }': FAILED,
  '{ .service.name = "payment" && status = error }': FAILED,
  // Too narrow, and too wide.
  '{ name = "payment.provider.charge" && status = error }': FAILED.slice(0, 2),
  '{ status = error }': [...FAILED, CONTRAST],
  // What the check asks to know its checkout of a missing product is in Tempo.
  '{ resource.service.name = "inventory" && status = error }': [CONTRAST],
};

describe('quest 14: TraceQL against Tempo', () => {
  let tempo: Server;
  const asked: URLSearchParams[] = [];
  let settings: LabSettings;
  const quest = loadQuests(path.join(REPO_ROOT, 'docs/quests')).find((q) => q.id === 14)!;
  // One play of the quest: the check places its checkout of a missing product once, and remembers it.
  const verified = new Set<string>();
  let contrasts = 0;
  const shop = { checkoutMissingProduct: async () => ({ status: 404, traceId: CONTRAST.padStart(32, '0'), body: {} }) };
  const ctx = (): QuestContext =>
    ({
      settings,
      quest,
      startedAt: Date.now() - 60_000,
      verified,
      shop: { checkoutMissingProduct: () => (contrasts++, shop.checkoutMissingProduct()) },
    }) as unknown as QuestContext;

  before(async () => {
    tempo = createServer((req, res) => {
      const url = new URL(req.url!, 'http://tempo');
      asked.push(url.searchParams);
      // The flaky payments make errors only in traces whose payment failed: one elsewhere is the check's own.
      const traces = (url.pathname === '/api/search' ? ANSWERS[url.searchParams.get('q') ?? ''] : undefined)?.filter(
        (t) => t !== CONTRAST || contrasts > 0,
      );
      if (!traces) {
        res.writeHead(400).end('parse error: unexpected token');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ traces: traces.map((t) => ({ traceID: t })) }));
    });
    await new Promise<void>((r) => tempo.listen(0, '127.0.0.1', r));
    settings = { ...labSettings({}), tempoUrl: `http://127.0.0.1:${(tempo.address() as AddressInfo).port}` };
  });
  after(() => tempo.close());

  it('when no query is given, then the check asks for one', async () => {
    const r = await CHECKS[14](ctx(), {});
    assert.equal(r.passed, false);
    assert.match(r.missing.join(), /your TraceQL query/);
  });

  it('when the query misses failed payments or finds others, then the check fails and counts them', async () => {
    const narrow = await CHECKS[14](ctx(), { answer: '{ name = "payment.provider.charge" && status = error }' });
    assert.equal(narrow.passed, false);
    assert.match(narrow.missing.join(), /misses 1 of the 3 traces/);
    const wide = await CHECKS[14](ctx(), { answer: '{ status = error }' });
    assert.equal(wide.passed, false);
    assert.match(
      wide.missing.join(),
      /also finds 1 trace\(s\) without a failed payment \(the check placed a checkout of a missing product/,
    );
    assert.equal(contrasts, 1, 'one checkout of a missing product per play');
  });

  it('when Tempo refuses the query, then the check says why', async () => {
    const r = await CHECKS[14](ctx(), { answer: '{ nonsense' });
    assert.equal(r.passed, false);
    assert.match(r.missing.join(), /Tempo refused the query \(400\): parse error/);
  });

  it('when the query finds exactly the failed payments since the quest started, then the check passes', async () => {
    asked.length = 0;
    const r = await CHECKS[14](ctx(), { answer: '{ .service.name = "payment" && status = error }' });
    assert.ok(r.passed, r.missing.join());
    assert.match(r.found.join(), /not even the check's checkout of a missing product/);
    // Both searches cover the quest's own time, not Tempo's default window, up to the same end a few
    // seconds back: a trace still arriving is in both or neither, never counted as missed.
    const [mine, truth] = asked.slice(-2);
    for (const p of [mine, truth])
      assert.ok(Number(p.get('start')) <= Date.now() / 1000 - 59 && Number(p.get('end')) >= Date.now() / 1000 - 7);
    assert.equal(mine.get('end'), truth.get('end'));
    assert.ok(Number(mine.get('end')) <= Math.ceil(Date.now() / 1000) - 4);
  });

  it('when Tempo is not configured (the native run), then the check says compose', async () => {
    const r = await CHECKS[14]({ ...ctx(), settings: { ...settings, tempoUrl: undefined } }, { answer: '{ status = error }' });
    assert.match(r.missing.join(), /docker compose/);
  });
});
