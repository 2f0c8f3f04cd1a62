// Quest 15 in compose reads payment's log lines from Loki, not from the native run's files: its
// check is played here against a fake Jaeger and a fake Loki that answer as the real ones do
// (Loki returns a line's structured metadata among its stream's labels).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';
import { CHECKS, Jaeger, type LabSettings, labSettings, loadQuests, type QuestContext } from '../src';

const TRACE = 'ab'.repeat(16);
const now = Date.now();
const span = (spanID: string, operationName: string, processID: string, tags: Record<string, unknown>, parent?: string) => ({
  traceID: TRACE,
  spanID,
  operationName,
  processID,
  startTime: now * 1000,
  duration: 180_000,
  references: parent ? [{ refType: 'CHILD_OF', traceID: TRACE, spanID: parent }] : [],
  tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
});
const JAEGER_TRACE = {
  traceID: TRACE,
  processes: { p1: { serviceName: 'gateway' }, p2: { serviceName: 'payment' } },
  spans: [
    span('1111111111111111', 'POST /api/orders', 'p1', { 'span.kind': 'server', error: true }),
    span(
      '2222222222222222',
      'payment.provider.charge',
      'p2',
      { 'span.kind': 'internal', error: true, 'error.type': 'provider_error' },
      '1111111111111111',
    ),
  ],
};

function serve(handler: (url: URL) => unknown): Promise<{ server: Server; url: string; asked: URL[] }> {
  const asked: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://fake');
    asked.push(url);
    const body = handler(url);
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  return new Promise((r) =>
    server.listen(0, '127.0.0.1', () => r({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked })),
  );
}

describe('quest 15 in compose: the log lines come from Loki', () => {
  let jaeger: Awaited<ReturnType<typeof serve>>;
  let loki: Awaited<ReturnType<typeof serve>>;
  let settings: LabSettings;
  const quest = loadQuests(path.join(REPO_ROOT, 'docs/quests')).find((q) => q.id === 15)!;
  const ctx = (): QuestContext => ({ settings, quest, jaeger: new Jaeger(jaeger.url), startedAt: now - 60_000 }) as unknown as QuestContext;

  before(async () => {
    jaeger = await serve((url) => (url.pathname === `/api/traces/${TRACE}` ? { data: [JAEGER_TRACE] } : undefined));
    loki = await serve((url) =>
      url.pathname === '/loki/api/v1/query_range'
        ? {
            status: 'success',
            data: {
              resultType: 'streams',
              result: [
                { stream: { service_name: 'payment', trace_id: TRACE, path: '/charges', duration_ms: '181', msg: 'request' }, values: [] },
                {
                  stream: {
                    service_name: 'payment',
                    trace_id: TRACE,
                    provider_ref: 'NET-0A1B2C3D',
                    msg: 'the card network failed the charge',
                  },
                  values: [],
                },
              ],
            },
          }
        : undefined,
    );
    settings = { ...labSettings({}), lokiUrl: loki.url, logsDir: '/nonexistent' };
  });
  after(() => {
    jaeger.server.close();
    loki.server.close();
  });

  it('when the answer is not the reference payment logged (the span duration, say), then the check fails and says what it wants', async () => {
    for (const answer of ['181', 'NET-00000000']) {
      const r = await CHECKS[15](ctx(), { trace: TRACE, answer });
      assert.equal(r.passed, false);
      assert.match(
        r.missing.join(),
        new RegExp(
          `${answer} is not the provider_ref payment logged.*natively the console.s trace view, under Log lines of this trace, or its Logs tab; the file is .run/logs/payment.log`,
        ),
      );
    }
  });

  it("when it is, then the check passes, having asked Loki for payment's lines of that trace since the quest started", async () => {
    loki.asked.length = 0;
    const r = await CHECKS[15](ctx(), { trace: TRACE, answer: 'net-0a1b2c3d' });
    assert.ok(r.passed, r.missing.join());
    const q = loki.asked[0].searchParams;
    assert.equal(q.get('query'), `{service_name="payment"} | trace_id="${TRACE}"`);
    assert.equal(Number(q.get('start')), (now - 60_000) * 1e6);
  });
});
