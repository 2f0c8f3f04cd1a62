// The console's server on its own, between a fake gateway and a fake Jaeger that record what
// reaches them: what it relays, what it adds (the admin token, server-side only), and what it
// refuses (other origins, other hosts).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { type Config, configSchema, createConsoleApp, forThePage, RunnerQuestBook, stubQuestBook } from '@tracequest/console';
import { labSettings, QuestRunner } from '@tracequest/lab';
import { openBrowser } from '../src/browser';

const TOKEN = `admin-token-${randomBytes(16).toString('hex')}`;
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A server that records every request and answers with the handler's status, headers and JSON. */
async function fake(answer: (req: Seen) => { status?: number; headers?: Record<string, string>; json: unknown }) {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(r);
      const a = answer(r);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/json', ...a.headers });
      res.end(JSON.stringify(a.json));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, seen, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A request with any headers (Host and Origin included), as another site's page or a rebinding attack would send. */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('the console server', () => {
  let gateway: Awaited<ReturnType<typeof fake>>;
  let jaeger: Awaited<ReturnType<typeof fake>>;
  let server: Server;
  let port: number;
  let origin: string;
  const own = () => ({ host: `127.0.0.1:${port}`, origin, 'sec-fetch-site': 'same-origin' });
  const adminCalls = () => gateway.seen.filter((s) => s.url.startsWith('/admin'));

  before(async () => {
    gateway = await fake((r) =>
      r.url.startsWith('/api/')
        ? { headers: { traceresponse: TRACEPARENT.replace('00f067aa0ba902b7', '1111111111111111') }, json: { items: [] } }
        : { json: { name: 'latency', params: JSON.parse(r.body || '{}') } },
    );
    jaeger = await fake((r) =>
      // Jaeger's own error shape, for a search it cannot parse.
      r.url.includes('start=-1')
        ? { status: 400, json: { data: null, total: 0, errors: [{ code: 400, msg: 'unable to parse param start' }] } }
        : { json: { data: r.url.startsWith('/api/services') ? ['gateway'] : [] } },
    );
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    origin = `http://127.0.0.1:${port}`;
    const config: Config = configSchema.parse({
      CONSOLE_PORT: String(port),
      GATEWAY_URL: gateway.url,
      ADMIN_URL: gateway.url,
      JAEGER_QUERY_URL: jaeger.url,
      ADMIN_TOKEN: TOKEN,
      JAEGER_UI_URL: '',
    });
    server.on('request', createConsoleApp({ config, quests: stubQuestBook }));
  });
  after(() => {
    for (const s of [server, gateway.server, jaeger.server]) s.closeAllConnections(), s.close();
  });

  it('when the page is loaded, then it carries its config, a content security policy, and nowhere the admin token', async () => {
    const page = await send(port, 'GET', '/', { host: `127.0.0.1:${port}` });
    assert.equal(page.status, 200);
    const config = JSON.parse(/<script id="console-config" type="application\/json">(.*?)<\/script>/.exec(page.body)![1]);
    assert.deepEqual(config, {
      otlpTracesUrl: 'http://127.0.0.1:4318/v1/traces',
      jaegerUiUrl: null,
      grafanaUrl: null,
      sampling: null,
      baggageKeys: ['synthetic_request', 'shop.campaign'],
    });
    assert.match(String(page.headers['content-security-policy']), /connect-src 'self' http:\/\/127\.0\.0\.1:4318;/);
    assert.equal(page.headers['x-frame-options'], 'DENY');
    const assets = [...page.body.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css')), assets.join());
    for (const path of ['/', ...assets]) {
      const r = await send(port, 'GET', path, { host: `127.0.0.1:${port}` });
      assert.equal(r.status, 200, path);
      assert.ok(!r.body.includes(TOKEN) && !JSON.stringify(r.headers).includes(TOKEN), `${path} holds the admin token`);
    }
  });

  it('when the page calls the shop API, then the gateway gets the browser trace context unchanged and nothing of the console', async () => {
    const res = await send(port, 'GET', '/api/products?page=1', { ...own(), traceparent: TRACEPARENT, tracestate: 'vendor=1' });
    assert.equal(res.status, 200);
    assert.match(
      String(res.headers.traceresponse),
      /^00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01$/,
      'traceresponse comes back',
    );
    const call = gateway.seen.at(-1)!;
    assert.equal(call.url, '/api/products?page=1');
    assert.equal(call.headers.traceparent, TRACEPARENT);
    assert.equal(call.headers.tracestate, 'vendor=1');
    assert.equal(call.headers['x-admin-token'], undefined);

    await send(port, 'GET', '/api/products', own());
    const bare = gateway.seen.at(-1)!;
    assert.equal(bare.headers.traceparent, undefined, 'the console starts no trace of its own');
    assert.equal(bare.headers.baggage, undefined);
  });

  it("when a checkout takes longer than the console's upstream timeout, then the gateway's answer still comes back, with its trace id", async () => {
    // A gateway that answers after 400 ms, as a checkout whose charge and void each waited out a timeout.
    const slow = createServer((req, res) =>
      setTimeout(() => {
        res.writeHead(req.method === 'POST' ? 502 : 200, {
          'content-type': 'application/json',
          traceresponse: '00-4bf92f3577b34da6a3ce929d0e0e4736-1111111111111111-01',
        });
        res.end(JSON.stringify(req.method === 'POST' ? { error: { code: 'payment_unavailable', message: 'x' } } : { items: [] }));
      }, 400),
    );
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    const app = createServer();
    await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
    const p = (app.address() as AddressInfo).port;
    const gatewayUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}`;
    const config = configSchema.parse({
      ...{ CONSOLE_PORT: String(p), GATEWAY_URL: gatewayUrl, ADMIN_URL: gatewayUrl, JAEGER_QUERY_URL: jaeger.url },
      ...{ ADMIN_TOKEN: TOKEN, UPSTREAM_TIMEOUT_MS: '200' },
    });
    app.on('request', createConsoleApp({ config, quests: stubQuestBook }));
    try {
      const headers = {
        host: `127.0.0.1:${p}`,
        origin: `http://127.0.0.1:${p}`,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      };
      const checkout = await send(p, 'POST', '/api/orders', headers, '{}');
      assert.equal(checkout.status, 502, checkout.body);
      assert.match(String(checkout.headers.traceresponse), /^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
      // Any other shop call still gives up after UPSTREAM_TIMEOUT_MS.
      const products = await send(p, 'GET', '/api/products', headers);
      assert.equal(products.status, 504);
      assert.equal(JSON.parse(products.body).error.code, 'upstream_timeout');
    } finally {
      for (const s of [slow, app]) {
        s.closeAllConnections();
        s.close();
      }
    }
  });

  it('when its own page changes a fault, then the gateway gets the admin token, and the page does not', async () => {
    const res = await send(
      port,
      'PUT',
      '/console/faults/latency',
      { ...own(), 'content-type': 'application/json' },
      '{"service":"inventory"}',
    );
    assert.equal(res.status, 200, res.body);
    assert.ok(!res.body.includes(TOKEN) && !JSON.stringify(res.headers).includes(TOKEN));
    const call = adminCalls().at(-1)!;
    assert.equal(call.method, 'PUT');
    assert.equal(call.url, '/admin/faults/latency');
    assert.equal(call.headers['x-admin-token'], TOKEN);
    assert.equal(call.body, '{"service":"inventory"}');
  });

  it('when another site or origin posts, puts or deletes, then it answers 403 and nothing reaches the gateway', async () => {
    const before = adminCalls().length;
    const attempts: [string, string, Record<string, string>][] = [
      ['PUT', '/console/faults/latency', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['DELETE', '/console/faults', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
      ['POST', '/console/scenarios/slow-checkout', { origin: 'http://evil.example' }],
      ['POST', '/console/scenarios/slow-checkout', { origin: `http://localhost:${port}`, 'sec-fetch-site': 'same-site' }],
      ['DELETE', '/console/faults/latency', { 'sec-fetch-site': 'cross-site' }],
      ['OPTIONS', '/console/faults/latency', { origin: 'http://evil.example', 'access-control-request-method': 'PUT' }],
      ['POST', '/api/orders', { origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
    ];
    for (const [method, path, headers] of attempts) {
      const res = await send(port, method, path, { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...headers }, '{}');
      assert.equal(res.status, 403, `${method} ${path} ${JSON.stringify(headers)}`);
      assert.equal(JSON.parse(res.body).error.code, 'cross_origin');
      assert.equal(res.headers['access-control-allow-origin'], undefined);
    }
    assert.equal(adminCalls().length, before);
    assert.ok(!gateway.seen.some((s) => s.method === 'POST' && s.url === '/api/orders'));
  });

  it('when its own page sends a fault change that is not JSON, then it is refused (415) before the gateway', async () => {
    const before = adminCalls().length;
    const res = await send(port, 'PUT', '/console/faults/latency', { ...own(), 'content-type': 'text/plain' }, 'service=inventory');
    assert.equal(res.status, 415);
    assert.equal(adminCalls().length, before);
  });

  it('when a request names another host, then it is refused; another loopback name is sent to the origin', async () => {
    const rebound = await send(port, 'GET', '/console/faults', { host: `attacker.example:${port}` });
    assert.equal(rebound.status, 403);
    assert.equal(JSON.parse(rebound.body).error.code, 'unknown_host');
    const alias = await send(port, 'GET', '/?from=bookmark', { host: `localhost:${port}` });
    assert.equal(alias.status, 302);
    assert.equal(alias.headers.location, `${origin}/?from=bookmark`);
    assert.equal((await send(port, 'GET', '/healthz', { host: 'anything' })).status, 200, 'probes answer on any name');
  });

  it("when the Traces tab searches, then Jaeger's query API gets the search parameters and nothing else", async () => {
    const res = await send(port, 'GET', '/console/jaeger/traces?service=gateway&tags=%7B%22error%22%3A%22true%22%7D&limit=5&evil=1', own());
    assert.equal(res.status, 200);
    const call = jaeger.seen.at(-1)!;
    const query = new URL(call.url, 'http://x').searchParams;
    assert.deepEqual(Object.fromEntries(query), { service: 'gateway', tags: '{"error":"true"}', limit: '5' });
    assert.equal((await send(port, 'GET', '/console/jaeger/traces/not-hex', own())).status, 400);
    const refused = await send(port, 'GET', '/console/jaeger/traces?service=order&start=-1e400', own());
    assert.equal(refused.status, 400);
    assert.equal(JSON.parse(refused.body).error.code, 'upstream_error', "Jaeger's error body becomes the console's one shape");
  });

  it("when quest 11's samplers are on, then the Traces tab says in a browser which traces are dropped; when off, it says nothing", async () => {
    const browser = await openBrowser();
    const servers: Server[] = [];
    /** A console with these settings, and its Traces tab open in the browser. */
    const tracesTab = async (env: Record<string, string>) => {
      const s = createServer();
      servers.push(s);
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      const p = (s.address() as AddressInfo).port;
      const config = configSchema.parse({
        ...{ CONSOLE_PORT: String(p), GATEWAY_URL: gateway.url, ADMIN_URL: gateway.url, JAEGER_QUERY_URL: jaeger.url },
        ...{ ADMIN_TOKEN: TOKEN, BROWSER_OTLP_ENDPOINT: '' },
        ...env,
      });
      s.on('request', createConsoleApp({ config, quests: stubQuestBook }));
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${p}/#/traces`);
      await page.getByRole('form', { name: 'Find traces' }).waitFor();
      return page.getByRole('status').filter({ hasText: 'Not every trace is kept' });
    };
    try {
      const tail = await tracesTab({ OTELCOL_EXTRA_CONFIG: 'tail-sampling.yaml' });
      assert.match(
        (await tail.textContent()) ?? '',
        /^Not every trace is kept: the Collector samples \(OTELCOL_EXTRA_CONFIG=tail-sampling\.yaml\)\. Quest 11 turns this on;/,
      );
      const head = await tracesTab({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' });
      assert.match(
        (await head.textContent()) ?? '',
        /the services sample \(OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0\.1\)/,
      );
      assert.equal(await (await tracesTab({ OTELCOL_EXTRA_CONFIG: 'none.yaml' })).count(), 0);
    } finally {
      await browser.close();
      for (const s of servers) s.closeAllConnections(), s.close();
    }
  });

  it('when the Quests tab asks, then the stub offers no quests and knows none', async () => {
    const list = await send(port, 'GET', '/console/quests', own());
    assert.deepEqual(JSON.parse(list.body), { items: [], runner: { name: 'none', connected: false } });
    const start = await send(port, 'POST', '/console/quests/first-trace/start', own());
    assert.equal(start.status, 404);
    assert.equal(JSON.parse(start.body).error.code, 'unknown_quest');
    const bad = await send(
      port,
      'POST',
      '/console/quests/x/check',
      { ...own(), 'content-type': 'application/json' },
      '{"trace_id":"nope"}',
    );
    assert.equal(bad.status, 400);
  });

  it("when the Quests tab starts a locked quest, then the runner's refusal names what to finish, not a --force the page has not", async () => {
    const book = new RunnerQuestBook(
      labSettings({ QUEST_PROGRESS_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'tq-quests-')), 'p.json') }),
    );
    await assert.rejects(book.start('4'), (err: Error) => {
      assert.equal(err.message, 'quest 4 is locked: finish quest 1 first');
      return true;
    });
  });

  it('when the Quests tab lists a quest, then its summary gives each objective as a sentence of its own', async () => {
    const book = new RunnerQuestBook(
      labSettings({ QUEST_PROGRESS_FILE: path.join(mkdtempSync(path.join(tmpdir(), 'tq-quests-')), 'p.json') }),
    );
    const nine = (await book.list()).items.find((q) => q.id === '9')!;
    assert.match(
      nine.summary,
      /^intermediate, about 25 min\. After quest 1\. Follow a trace [^;]*\. Switch the consumer [^;]*\. Find a poison message [^;]*\.$/,
    );
  });

  /** A runner whose progress file says quest `id` is being played. */
  const playing = (id: number, quests: Record<string, object> = {}, seed?: number) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tq-quests-')), 'p.json');
    writeFileSync(file, JSON.stringify({ quests, active: { id, startedAt: Date.now(), seed } }));
    return new RunnerQuestBook(labSettings({ QUEST_PROGRESS_FILE: file }));
  };

  it('when a quest done before is played again, or a locked one was started with --force, then the list says started', async () => {
    const again = await playing(1, { 1: { checked: 1, quizzed: 1, done: 1, badges: ['x'] } }).list();
    assert.equal(again.items.find((q) => q.id === '1')?.status, 'started');
    // Its check passed again in this play: completed once more.
    const replayed = await playing(1, { 1: { checked: Date.now() + 1000, quizzed: 1, done: 1, badges: ['x'] } }).list();
    assert.equal(replayed.items.find((q) => q.id === '1')?.status, 'completed');
    // Completed with its incident still set up: the page offers to stop it.
    assert.equal(replayed.items.find((q) => q.id === '1')?.setUpStill, true);
    assert.equal(again.items.find((q) => q.id === '1')?.setUpStill, undefined);
    const forced = await playing(5).list();
    assert.equal(forced.items.find((q) => q.id === '5')?.status, 'started');
    assert.equal(forced.items.find((q) => q.id === '6')?.status, 'locked');
    // Why a Start is off: the quest to finish first, or the stack it needs; nothing for one that can start.
    assert.match(forced.items.find((q) => q.id === '6')?.blocked ?? '', /^Finish quest [0-9 and]+ first\.$/);
    assert.match(forced.items.find((q) => q.id === '14')?.blocked ?? '', /^Docker compose only: it reads Tempo and Grafana/);
    assert.equal(forced.items.find((q) => q.id === '5')?.blocked, undefined);
    assert.equal(forced.items.find((q) => q.id === '1')?.blocked, undefined);
    // Restart on the quest forced open is no refusal (what it does next needs the shop); a locked one not played is.
    const restarted = await playing(5)
      .start('5')
      .then(
        () => '',
        (e: Error) => e.message,
      );
    assert.doesNotMatch(restarted, /locked/);
    await assert.rejects(playing(5).start('6'), /quest 6 is locked: finish quest/);
  });

  it('when a quest with hints taken is opened again, then the hints given so far come with it, in order', async () => {
    const book = playing(12, { 12: { hints: 2 } });
    const q = new QuestRunner(labSettings({})).quest(12);
    const { hintsGiven } = await book.detail('12');
    assert.deepEqual(
      hintsGiven?.map((h) => [h.index, h.remaining]),
      [
        [0, q.hints.length - 2],
        [1, q.hints.length - 2],
      ],
    );
    assert.equal(hintsGiven?.[0].text, forThePage(q.hints[0], labSettings({})));
    assert.deepEqual((await playing(12).detail('12')).hintsGiven, []);
  });

  it('when the knowledge check has no tries left, then the check still answers, and says why the questions were not graded', async () => {
    const book = playing(1, { 1: { quizTries: 3 } });
    const { questions } = await book.detail('1');
    const answers = Object.fromEntries(questions.map((q) => [q.id, q.choices?.[0] ?? '']));
    const result = await book.check('1', { answers });
    const knowledge = result.feedback.find((f) => f.about === 'knowledge');
    assert.equal(knowledge?.ok, false);
    assert.match(knowledge?.message ?? '', /^Knowledge check: no tries left.*Restart on quest 1 gives 3 more$/);
    assert.ok(
      result.feedback.some((f) => f.about === 'check' && /a trace id/.test(f.message)),
      'the trace check answered too',
    );
  });

  it('when a quest means a particular trace or span, then its fields say which; the others are plain', async () => {
    const two = await playing(2).detail('2');
    assert.deepEqual(two.asks, ['trace', 'span']);
    assert.match(two.labels?.span ?? '', /made up/);
    assert.equal(two.labels?.trace, 'your trace id');
    assert.deepEqual((await playing(1).detail('1')).labels, { trace: undefined, span: undefined });
    // The steps come with the brief: a learner in the tab needs no quest file.
    assert.ok(two.steps.length >= 2 && two.steps.every((s) => s.length > 10), JSON.stringify(two.steps));
  });

  it("when a started quest's steps and hints are shown on the page, then they say it is started and name the page's fields and tabs, not commands", async () => {
    const shown = new Map<number, string>();
    for (let id = 1; id <= 16; id++) {
      const book = playing(id);
      const { steps, hints } = await book.detail(String(id));
      const told = [...steps];
      for (let i = 0; i < hints; i++) told.push((await book.hint(String(id))).text);
      shown.set(id, told.join('\n'));
    }
    for (const [id, text] of shown)
      assert.doesNotMatch(text, /npm run (quest|fault)|quest (start|check)|--(trace|span|answer)\b/, `quest ${id}`);
    assert.match(shown.get(1) ?? '', /^Start quest 1 \(done\)\.$/m);
    assert.match(shown.get(8) ?? '', /^Start quest 8 \(done; it turns the notices on\) and place a checkout\.$/m);
    assert.match(shown.get(7) ?? '', /Turn the fix on: tick fix on the retry_storm card of the Faults tab, and press its Update button\./);
    assert.match(shown.get(9) ?? '', /check it now: Check below, with the Trace id and the Span id fields filled\./);
  });

  it('when a check names a flag or a command, then the page says its field or its card, and keeps the sentence whole', () => {
    const settings = labSettings({});
    assert.equal(
      forThePage(`the fix: ${settings.faultCommand} set retry_storm fix=true (the storm stays configured)`, settings),
      'the fix: tick fix on the retry_storm card of the Faults tab, and press its Update button (the storm stays configured)',
    );
    assert.equal(
      forThePage('--answer takes a number (how many times order called payment), not "five"', settings),
      'the Answer field takes a number (how many times order called payment), not "five"',
    );
    assert.equal(
      forThePage('(verified before: the --trace and --span given now are not read again)', settings),
      '(verified before: the Trace id field and the Span id field given now are not read again)',
    );
  });

  it('when a check stops at a missing trace, then it names every other field still empty too', async () => {
    const said = (await playing(5, {}, 1).check('5', {})).feedback.map((f) => f.message).join('\n');
    assert.match(said, /a trace id: the Trace id field/);
    assert.match(said, /a span id: the Span id field/);
  });

  it('when a quest wants an answer, then its field is named Answer, and the check calls it that', async () => {
    const two = await playing(2).detail('2');
    assert.equal(two.questions[0].prompt, 'Answer: the trace id you sent with flags 00');
    const said = (await playing(2).check('2', {})).feedback.map((f) => f.message).join('\n');
    assert.match(said, /the Answer field/);
    assert.doesNotMatch(said, /--answer/);
  });

  it("when a check answers in the terminal's words, then the page gets its own: fields and buttons, not flags", async () => {
    const result = await playing(1).check('1', {});
    const said = result.feedback.map((f) => f.message).join('\n');
    assert.match(said, /a trace id: the Trace id field/);
    assert.doesNotMatch(said, /--trace|npm run quest/);
  });
});

describe("the Metrics tab's endpoint", () => {
  const series = (labels: string) => `service_name="inventory",span_kind="SPAN_KIND_SERVER",span_name="POST /reservations",${labels}`;
  const TRACE_A = 'a'.repeat(32);
  const TRACE_B = '4bf92f3577b34da6a3ce929d0e0e4736';
  // The Collector's OpenMetrics text, trimmed: two series of one route (a success and a failure),
  // exemplars, a client span, a consumer span whose name has quotes, and the lines that are not buckets.
  const TEXT = [
    '# TYPE traces_span_metrics_duration_milliseconds histogram',
    `traces_span_metrics_duration_milliseconds_bucket{${series('status_code="STATUS_CODE_UNSET",le="500.0"')}} 3`,
    `traces_span_metrics_duration_milliseconds_bucket{${series('status_code="STATUS_CODE_UNSET",le="1000.0"')}} 5 # {span_id="00f067aa0ba902b7",trace_id="${TRACE_B}"} 612.5 1733320000.123`,
    `traces_span_metrics_duration_milliseconds_bucket{${series('status_code="STATUS_CODE_UNSET",le="+Inf"')}} 5`,
    `traces_span_metrics_duration_milliseconds_bucket{${series('status_code="STATUS_CODE_ERROR",le="500.0"')}} 1`,
    `traces_span_metrics_duration_milliseconds_bucket{${series('status_code="STATUS_CODE_ERROR",le="1000.0"')}} 2 # {trace_id="${TRACE_A}",span_id="1111111111111111"} 700 1733320000.5`,
    `traces_span_metrics_duration_milliseconds_bucket{${series('status_code="STATUS_CODE_ERROR",le="+Inf"')}} 2`,
    `traces_span_metrics_duration_milliseconds_sum{${series('status_code="STATUS_CODE_ERROR"')}} 1200`,
    `traces_span_metrics_duration_milliseconds_count{${series('status_code="STATUS_CODE_ERROR"')}} 2`,
    'traces_span_metrics_duration_milliseconds_bucket{service_name="order",span_kind="SPAN_KIND_CLIENT",span_name="POST",status_code="STATUS_CODE_UNSET",le="+Inf"} 9',
    'traces_span_metrics_duration_milliseconds_bucket{service_name="worker",span_kind="SPAN_KIND_CONSUMER",span_name="say \\"hi\\"",status_code="STATUS_CODE_UNSET",le="500.0"} 1',
    'traces_span_metrics_duration_milliseconds_bucket{service_name="worker",span_kind="SPAN_KIND_CONSUMER",span_name="say \\"hi\\"",status_code="STATUS_CODE_UNSET",le="1000.0"} 1',
    'traces_span_metrics_duration_milliseconds_bucket{service_name="worker",span_kind="SPAN_KIND_CONSUMER",span_name="say \\"hi\\"",status_code="STATUS_CODE_UNSET",le="+Inf"} 1',
    'traces_span_metrics_calls_total{service_name="inventory",span_kind="SPAN_KIND_SERVER",span_name="POST /reservations"} 7',
    '# EOF',
  ].join('\n');
  let metrics: Server;
  let server: Server;
  let port: number;
  let accepted: string | undefined;
  let served = TEXT;
  const own = () => ({ host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' });

  before(async () => {
    metrics = createServer((req, res) => {
      accepted = req.headers.accept;
      res.writeHead(200, { 'content-type': 'application/openmetrics-text; version=1.0.0' });
      res.end(served);
    });
    await new Promise<void>((r) => metrics.listen(0, '127.0.0.1', r));
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    const config = configSchema.parse({
      CONSOLE_PORT: String(port),
      ADMIN_TOKEN: TOKEN,
      SPAN_METRICS_URL: `http://127.0.0.1:${(metrics.address() as AddressInfo).port}/metrics`,
    });
    server.on('request', createConsoleApp({ config, quests: stubQuestBook }));
  });
  after(() => {
    for (const s of [server, metrics]) s.closeAllConnections(), s.close();
  });

  it('when the span metrics are read, then each server or consumer route is summed over its series, with its errors and slowest exemplars', async () => {
    const res = await send(port, 'GET', '/console/metrics', own());
    assert.equal(res.status, 200, res.body);
    assert.match(accepted ?? '', /application\/openmetrics-text/, 'asked in OpenMetrics, the format that has exemplars');
    const view = JSON.parse(res.body);
    assert.deepEqual(view.boundsMs, [500, 1000]);
    assert.deepEqual(view.routes, [
      {
        service: 'inventory',
        name: 'POST /reservations',
        kind: 'server',
        calls: 7,
        errors: 2,
        atMost: [4, 7],
        exemplars: [
          { traceId: TRACE_A, spanId: '1111111111111111', ms: 700 },
          { traceId: TRACE_B, spanId: '00f067aa0ba902b7', ms: 612.5 },
        ],
      },
      { service: 'worker', name: 'say "hi"', kind: 'consumer', calls: 1, errors: 0, atMost: [1, 1], exemplars: [] },
    ]);
  });

  it('when the Collector has no 500 ms bucket, then the Metrics tab counts as slow what is over the next bound up', async () => {
    const bucket = (le: string, n: number) =>
      `traces_span_metrics_duration_milliseconds_bucket{${series(`status_code="STATUS_CODE_UNSET",le="${le}"`)}} ${n}`;
    served = [bucket('250.0', 1), bucket('1000.0', 2), bucket('+Inf', 3)].join('\n');
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.goto(`http://127.0.0.1:${port}/#/metrics`);
      const row = page.locator('tr[data-route="inventory POST /reservations"]');
      await row.waitFor();
      assert.ok(await page.getByRole('columnheader', { name: 'Over 1,000 ms', exact: true }).isVisible());
      assert.equal(await row.getByTestId('slow-count').textContent(), '1');
      assert.equal(await page.getByLabel('Slow means over').inputValue(), '1000');
    } finally {
      await browser.close();
      served = TEXT;
    }
  });

  it('when another origin asks, then it is refused; when the Collector cannot be read, then a 502 says where it was looked for', async () => {
    const cross = await send(port, 'GET', '/console/metrics', {
      host: `127.0.0.1:${port}`,
      origin: 'http://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    assert.equal(cross.status, 403);
    metrics.closeAllConnections();
    await new Promise<void>((r) => metrics.close(() => r()));
    const down = await send(port, 'GET', '/console/metrics', own());
    assert.equal(down.status, 502);
    const { error } = JSON.parse(down.body);
    assert.equal(error.code, 'upstream_unavailable');
    assert.match(error.message, /cannot read the span metrics at http:\/\/127\.0\.0\.1:\d+\/metrics/);
  });
});

describe("the trace view's log lines", () => {
  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const OTHER = 'b'.repeat(32);
  const line = (fields: Record<string, unknown>) => JSON.stringify({ pid: 1, hostname: 'vm', trace_flags: '01', ...fields });
  let server: Server;
  let port: number;
  const own = () => ({ host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' });
  const start = async (env: Record<string, string>) => {
    server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
    const config = configSchema.parse({ CONSOLE_PORT: String(port), ADMIN_TOKEN: TOKEN, ...env });
    server.on('request', createConsoleApp({ config, quests: stubQuestBook }));
  };
  afterEach(() => {
    server.closeAllConnections();
    server.close();
  });

  it("when the services' log files hold lines of a trace, then exactly those come back, oldest first, with their fields", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'console-logs-'));
    writeFileSync(
      path.join(dir, 'gateway.log'),
      [
        line({ level: 30, time: 3000, name: 'gateway', trace_id: TRACE, span_id: '00f067aa0ba902b7', msg: 'request', status: 502 }),
        line({ level: 30, time: 1000, name: 'gateway', trace_id: OTHER, span_id: '1111111111111111', msg: 'request' }),
        `not json ${TRACE}`,
        // A line that names the trace in its text, but belongs to another.
        line({ level: 30, time: 1500, name: 'gateway', trace_id: OTHER, msg: `about ${TRACE}` }),
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'payment.log'),
      `${line({ level: 40, time: 2000, name: 'payment', trace_id: TRACE, span_id: '2222222222222222', msg: 'charge failed at the provider', provider_ref: 'NET-1234' })}\n`,
    );
    // Not a service: its file is not read.
    writeFileSync(path.join(dir, 'otelcol.log'), `${line({ level: 30, time: 1, trace_id: TRACE, msg: 'not a service' })}\n`);
    await start({ LOGS_DIR: dir });
    const res = await send(port, 'GET', `/console/logs/${TRACE.toUpperCase()}`, own());
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), {
      source: 'files',
      lines: [
        {
          service: 'payment',
          time: 2000,
          level: 'warn',
          msg: 'charge failed at the provider',
          traceId: TRACE,
          spanId: '2222222222222222',
          fields: { provider_ref: 'NET-1234' },
        },
        {
          service: 'gateway',
          time: 3000,
          level: 'info',
          msg: 'request',
          traceId: TRACE,
          spanId: '00f067aa0ba902b7',
          fields: { status: 502 },
        },
      ],
    });
    for (const bad of ['not-hex', '..%2F..%2Fetc%2Fpasswd', 'a'.repeat(31)]) {
      const refused = await send(port, 'GET', `/console/logs/${bad}`, own());
      assert.equal(refused.status, 400, bad);
      assert.equal(JSON.parse(refused.body).error.code, 'bad_trace_id');
    }
  });

  it('when the logs are searched, then the latest matching lines come newest first, by service, level and text', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'console-logs-'));
    writeFileSync(
      path.join(dir, 'gateway.log'),
      [
        line({ level: 30, time: 1, name: 'gateway', trace_id: TRACE, msg: 'request', status: 201 }),
        line({ level: 50, time: 4, name: 'gateway', trace_id: OTHER, msg: 'request failed' }),
        line({ level: 30, time: 5, name: 'gateway', trace_id: OTHER, msg: 'request', status: 502 }),
        line({ level: 30, time: 6, name: 'gateway', msg: 'listening' }),
      ].join('\n'),
    );
    writeFileSync(
      path.join(dir, 'payment.log'),
      line({ level: 40, time: 3, name: 'payment', trace_id: TRACE, msg: 'the card network failed the charge' }),
    );
    await start({ LOGS_DIR: dir });
    const search = async (q: string) => {
      const res = await send(port, 'GET', `/console/logs${q}`, own());
      assert.equal(res.status, 200, res.body);
      return JSON.parse(res.body).lines.map((l: { time: number }) => l.time);
    };
    assert.deepEqual(await search(''), [6, 5, 4, 3, 1], 'every line, newest first');
    assert.deepEqual(await search('?limit=2'), [6, 5]);
    assert.deepEqual(await search('?service=payment'), [3]);
    assert.deepEqual(await search('?level=warn'), [4, 3], 'warn and above');
    assert.deepEqual(await search(`?q=${encodeURIComponent('"STATUS":502')}`), [5], 'text in the line, any case');
    // A field as the tab shows it, or as JSON with a space: the same line.
    assert.deepEqual(await search(`?q=${encodeURIComponent('status=502')}`), [5], 'key=value, as the Fields column shows it');
    assert.deepEqual(await search(`?q=${encodeURIComponent('"status": 502')}`), [5]);
    assert.deepEqual(await search(`?q=${encodeURIComponent('status=20')}`), [1], 'a number it begins with');
    assert.deepEqual(await search(`?q=${encodeURIComponent('msg=request f')}`), [4], 'a string field, by its beginning');
    assert.deepEqual(await search(`?q=${encodeURIComponent('status=503')}`), []);
    const found = JSON.parse((await send(port, 'GET', '/console/logs?q=listening', own())).body).lines[0];
    assert.equal(found.traceId, null, 'a line logged outside any span has no trace');
    for (const bad of ['?service=postgres', '?level=loud', '?limit=0', '?limit=1000', `?q=${'x'.repeat(201)}`, '?service=a&service=b']) {
      const refused = await send(port, 'GET', `/console/logs${bad}`, own());
      assert.equal(refused.status, 400, bad);
      assert.equal(JSON.parse(refused.body).error.code, 'bad_search');
    }
  });

  it('when a log file is large, then its last 8 MiB are read, from the first whole line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'console-logs-'));
    const old = line({ level: 30, time: 1, name: 'order', trace_id: TRACE, msg: 'too old to be read' });
    const filler = line({ level: 30, time: 2, name: 'order', trace_id: OTHER, msg: 'x'.repeat(200) });
    const recent = line({ level: 30, time: 3, name: 'order', trace_id: TRACE, msg: 'recent' });
    writeFileSync(path.join(dir, 'order.log'), [old, ...Array(45_000).fill(filler), recent, ''].join('\n'));
    await start({ LOGS_DIR: dir });
    const res = await send(port, 'GET', `/console/logs/${TRACE}`, own());
    assert.deepEqual(
      JSON.parse(res.body).lines.map((l: { msg: string }) => l.msg),
      ['recent'],
    );
  });

  it('when the console has no log files (compose: the logs are in Loki), then it says so instead of an empty list', async () => {
    await start({});
    const res = await send(port, 'GET', `/console/logs/${TRACE}`, own());
    assert.deepEqual(JSON.parse(res.body), { source: null, lines: [] });
    assert.deepEqual(JSON.parse((await send(port, 'GET', '/console/logs?q=x', own())).body), { source: null, lines: [] });
  });
});
