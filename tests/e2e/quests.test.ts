// The quests check themselves: each quest's front matter names a scenario, a request, the span
// that holds the answer and the dashboards it mentions; this test plays every quest against the
// running shop and checks that what the quest tells a learner is what the shop does.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { findFault, findScenario } from '@tracequest/faults';
import { REPO_ROOT } from '@tracequest/stack';
import { request } from '@tracequest/testkit';
import { parse as parseYaml } from 'yaml';
import { CONTRACT } from '../src/contract';
import { useStack } from '../src/harness';
import { type FlatSpan, traceIdOf } from '../src/jaeger';
import { Shop } from '../src/shop';

interface Quest {
  file: string;
  body: string;
  front: {
    scenario: string | null;
    seed?: number;
    attempts?: number;
    request: 'checkout' | 'products';
    find: { service: string; span?: string; fault?: string };
    absent?: string[];
    dashboards: string[];
  };
}

const DIR = path.join(REPO_ROOT, 'docs/quests');
const QUESTS: Quest[] = readdirSync(DIR)
  .filter((f) => /^\d\d-.+\.md$/.test(f))
  .sort()
  .map((file) => {
    const text = readFileSync(path.join(DIR, file), 'utf8');
    const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
    if (!m) throw new Error(`${file} has no front matter`);
    return { file, front: parseYaml(m[1]), body: m[2] };
  });
const DASHBOARDS = readdirSync(path.join(REPO_ROOT, 'infra/grafana/dashboards')).map(
  (f) => JSON.parse(readFileSync(path.join(REPO_ROOT, 'infra/grafana/dashboards', f), 'utf8')).uid as string,
);
const SPAN_LIKE = /^(order|inventory|payment|worker|outbox)\.[a-z_]+(\.[a-z_]+)*$/;
const backticked = (body: string) => [...body.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]);

const h = useStack();
const seenSpanNames = new Set(CONTRACT.checkout.edges.flatMap((e) => [e.from.name, e.to.name]).filter((n): n is string => !!n));

describe('the quests in docs/quests', () => {
  let shop: Shop;
  const admin = (method: string, p: string, body?: unknown) =>
    request(h.gateway, method, p, { body, headers: { 'x-admin-token': h.stack.env.ADMIN_TOKEN } });
  before(async () => {
    shop = await new Shop(h.gateway).signUp();
  });

  it('when the quests are listed, then there are some and the index links every one', () => {
    assert.ok(QUESTS.length >= 5);
    const index = readFileSync(path.join(DIR, 'README.md'), 'utf8');
    for (const q of QUESTS) assert.ok(index.includes(`(${q.file})`), `${q.file} is in docs/quests/README.md`);
  });

  for (const q of QUESTS) {
    it(`when ${q.file} is played, then its scenario, commands and dashboards exist and its answer is in the trace`, async () => {
      const { front, body } = q;
      if (front.scenario) assert.ok(findScenario(front.scenario), `scenario ${front.scenario}`);
      for (const uid of front.dashboards) assert.ok(DASHBOARDS.includes(uid), `dashboard ${uid}`);
      for (const m of body.matchAll(/npm run fault -- (set|clear|scenario) ([a-z_-]+)/g)) {
        const ok = m[1] === 'scenario' ? findScenario(m[2]) : findFault(m[2]);
        assert.ok(ok, `${q.file}: "${m[0]}" names something that exists`);
      }

      assert.equal((await admin('DELETE', '/admin/faults')).status, 200);
      let target: string | undefined;
      if (front.scenario) {
        const res = await admin('POST', `/admin/scenarios/${front.scenario}`, front.seed === undefined ? {} : { seed: front.seed });
        assert.equal(res.status, 200);
        target = res.body.faults.latency?.service;
      }
      await new Promise((r) => setTimeout(r, 1200));
      try {
        const service = front.find.service === '$target' ? target! : front.find.service;
        const answer = (s: FlatSpan) =>
          s.service === service &&
          (!front.find.span || s.name === front.find.span) &&
          (!front.find.fault || s.tags['fault.name'] === front.find.fault);
        // A quest whose fault hits only some requests says so with `attempts`.
        let spans: FlatSpan[] = [];
        for (let attempt = 1; attempt <= (front.attempts ?? 1) && !spans.some(answer); attempt++) {
          const res =
            front.request === 'checkout'
              ? await shop.checkout([{ product_id: (await shop.plentiful()).id, quantity: 1 }])
              : await request(h.gateway, 'GET', '/api/products');
          const last = attempt === (front.attempts ?? 1);
          spans = await h.jaeger.traceWith(traceIdOf(res), [service], last ? { where: (all) => all.some(answer) } : {});
        }
        for (const absent of front.absent ?? []) assert.ok(!spans.some((s) => s.service === absent), `${absent} is not in the trace`);
        for (const s of spans) seenSpanNames.add(s.name);
        // A `shop.*` name in a quest is an attribute, a span or an event of its trace.
        const shopNames = new Set(spans.flatMap((s) => [...Object.keys(s.tags), s.name, ...s.events.map((e) => e.name)]));
        for (const token of backticked(body)) {
          if (SPAN_LIKE.test(token)) assert.ok(seenSpanNames.has(token), `${q.file} names span ${token}, which the shop does not make`);
          if (/^shop\.[a-z_.]+$/.test(token) || token === 'fault.name')
            assert.ok(shopNames.has(token), `${q.file} names ${token}, which no span of its trace has or is`);
        }
      } finally {
        await admin('DELETE', '/admin/faults');
      }
    });
  }
});
