// The facilitator guide and the dev container, checked against what they name: the agendas add
// up, use the quests' own times and titles and respect their prerequisites; the dev container
// runs the Node of .env with a Go new enough for the tools, and forwards the ports of .env.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadQuests } from '@tracequest/lab';
import { dotenv, REPO_ROOT } from '@tracequest/stack';

const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');
const quests = loadQuests(path.join(REPO_ROOT, 'docs/quests'));
const ENV = dotenv();

/** The rows of the table under a heading: [time, minutes, what]. */
function agenda(doc: string, heading: string): string[][] {
  const from = doc.indexOf(`### ${heading}\n`);
  assert.ok(from >= 0, `docs/workshop.md has an agenda "${heading}"`);
  const table = doc.slice(from).split('\n\n')[1];
  return table
    .split('\n')
    .slice(2)
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
}

const minutesOf = (time: string) => {
  const [h, m] = time.split(':').map(Number);
  return h * 60 + m;
};

describe('docs/workshop.md', () => {
  const doc = read('docs/workshop.md');

  for (const [heading, length] of [
    ['Two hours', 120],
    ['Half a day', 240],
  ] as const) {
    it(`when the ${heading.toLowerCase()} agenda is read, then its rows follow on, add up to ${length} minutes, and its quests are real and in order`, () => {
      const rows = agenda(doc, heading);
      let clock = 0;
      const played = new Set<number>();
      for (const [time, minutes, what] of rows) {
        assert.equal(minutesOf(time), clock, `${heading}: "${what}" starts at ${time}`);
        clock += Number(minutes);
        const m = /^Quest (\d+): (.+)$/.exec(what);
        if (!m) continue;
        const q = quests.find((x) => x.id === Number(m[1]));
        assert.ok(q, `${heading}: quest ${m[1]} exists`);
        assert.equal(m[2], q.title, `${heading}: quest ${q.id}'s title`);
        assert.equal(Number(minutes), q.minutes, `${heading}: quest ${q.id} takes its own estimate`);
        assert.ok(!q.compose_only, `${heading}: quest ${q.id} runs natively too`);
        for (const p of q.prerequisites) assert.ok(played.has(p), `${heading}: quest ${q.id} comes after quest ${p}`);
        played.add(q.id);
      }
      assert.equal(clock, length);
    });
  }

  it('when it names quests to go on with, then they exist', () => {
    const m = /Fast groups go on with quests ([\d, and]+)/.exec(doc);
    assert.ok(m);
    for (const id of m[1].match(/\d+/g) ?? [])
      assert.ok(
        quests.some((q) => q.id === Number(id)),
        `quest ${id}`,
      );
  });

  it('when it names a port variable or a command, then .env and the quest runner have it', () => {
    for (const [, name] of doc.matchAll(/`([A-Z_]+_PORT)`/g)) assert.ok(ENV[name], `${name} is in .env`);
    assert.match(doc, /npm run quest -- start <n> --force/);
    assert.match(read('packages/lab/src/quest.ts'), /force: \{ type: 'boolean'/);
  });
});

describe('.devcontainer/devcontainer.json', () => {
  const dc = JSON.parse(read('.devcontainer/devcontainer.json'));

  it('when a dev container is built from it, then it has the Node of .env and a Go the tools accept, and builds the tools', () => {
    assert.equal(dc.image, `node:${ENV.NODE_VERSION}-bookworm`);
    const go = dc.features['ghcr.io/devcontainers/features/go:1'].version as string;
    const min = /^GO_MIN=(.+)$/m.exec(read('scripts/tools.sh'))![1];
    assert.ok(go.localeCompare(min, undefined, { numeric: true }) >= 0, `Go ${go} >= ${min}`);
    assert.match(dc.postCreateCommand, /npm run tools/);
  });

  it("when it forwards ports, then they are the console, the gateway, the page's OTLP and Jaeger of .env, the console opened", () => {
    assert.deepEqual(dc.forwardPorts, [ENV.CONSOLE_PORT, ENV.GATEWAY_PORT, ENV.OTLP_HTTP_PORT, ENV.JAEGER_UI_PORT].map(Number));
    assert.equal(dc.portsAttributes[ENV.CONSOLE_PORT].onAutoForward, 'openBrowser');
  });
});
