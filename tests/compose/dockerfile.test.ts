// The one Dockerfile the six services are built from: same start command and same build as the
// native run, pinned base image, production dependencies only, non-root.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ENV, readRepo, repoPath, SHOP_SERVICES, services } from './stack-files';

const DOCKERFILE = readRepo('Dockerfile');
/** Instructions with their continuation lines joined, comments dropped. */
const instructions = DOCKERFILE.replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const args = (keyword: string) => instructions.filter((l) => l.startsWith(`${keyword} `)).map((l) => l.slice(keyword.length + 1).trim());
const runtimeStage = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));

describe('Dockerfile', () => {
  it("when the image starts, then its CMD is every service's package.json start script", () => {
    const cmd = args('CMD');
    assert.equal(cmd.length, 2, "the services' CMD and the console's");
    const argv = JSON.parse(cmd.at(-1)!) as string[];
    for (const name of SHOP_SERVICES) {
      const pkg = JSON.parse(readRepo('services', name, 'package.json'));
      assert.deepEqual(argv, String(pkg.scripts.start).split(/\s+/), name);
    }
  });

  it('when the image is built, then it installs from the lockfile and builds like the native run', () => {
    const run = args('RUN').join('\n');
    assert.match(run, /^npm ci\b/m);
    assert.match(run, /^npx tsc -b$/m);
    assert.equal(JSON.parse(readRepo('package.json')).scripts.build, 'tsc -b', 'npm run build is the same build');
    assert.match(readRepo('scripts', 'start.sh'), /^if ! npx tsc -b; then$/m, 'the native run builds with npx tsc -b');
    assert.match(run, /^npm prune --omit=dev\b/m, 'dev dependencies are dropped');
    assert.ok(runtimeStage.includes('COPY --from=build /app/node_modules'), 'the runtime stage copies the pruned modules');
    assert.doesNotMatch(runtimeStage, /npm (ci|install)|tsc/, 'the runtime stage builds nothing');
  });

  it('when a stage starts, then it is node:${NODE_VERSION}-slim with an exact NODE_VERSION from .env', () => {
    const from = args('FROM').map((f) => f.split(/\s+/)[0]);
    assert.equal(from.length, 5);
    for (const image of from) assert.equal(image, 'node:${NODE_VERSION}-slim');
    assert.match(ENV.NODE_VERSION, /^24\.\d+\.\d+$/);
    assert.ok(args('ARG').includes(`NODE_VERSION=${ENV.NODE_VERSION}`), 'the default matches .env');
    for (const name of SHOP_SERVICES) assert.equal(services[name].build?.args?.NODE_VERSION, '${NODE_VERSION}', name);
  });

  it('when the image runs, then it is non-root, in its service folder, chosen by ARG SERVICE', () => {
    assert.deepEqual(args('USER'), ['node', 'node', 'node'], 'the console, the lab and the services');
    assert.ok(args('ARG').includes('SERVICE'));
    assert.ok(args('WORKDIR').includes('/app/services/${SERVICE}'));
    for (const name of SHOP_SERVICES) {
      assert.equal(services[name].build?.context, '.', name);
      assert.equal(services[name].build?.args?.SERVICE, name);
      assert.ok(existsSync(repoPath('services', name, 'package.json')), name);
    }
  });

  it("when compose builds the console, then its stage runs the console's start script, without the telemetry preload", () => {
    const stage = DOCKERFILE.slice(DOCKERFILE.indexOf(' AS console\n'), DOCKERFILE.lastIndexOf('\nFROM '));
    const cmd = JSON.parse(/^CMD (.+)$/m.exec(stage)![1]) as string[];
    assert.deepEqual(cmd, String(JSON.parse(readRepo('console', 'package.json')).scripts.start).split(/\s+/));
    assert.ok(!cmd.includes('--require'), 'no preload');
    assert.match(stage, /^USER node$/m);
    assert.match(stage, /^WORKDIR \/app\/console$/m);
    assert.match(args('RUN').join('\n'), /^npm run build:console$/m, 'the page is built before the prune');
    assert.deepEqual(services.console.build, { context: '.', target: 'console', args: { NODE_VERSION: '${NODE_VERSION}' } });
  });

  it('when compose builds the lab, then it runs the quest runner with the quest files, and fault.js is its other command', () => {
    const stage = DOCKERFILE.slice(DOCKERFILE.indexOf(' AS lab\n'), DOCKERFILE.lastIndexOf('\nFROM '));
    const entry = JSON.parse(/^ENTRYPOINT (.+)$/m.exec(stage)![1]) as string[];
    const bin = JSON.parse(readRepo('packages', 'lab', 'package.json')).bin as Record<string, string>;
    assert.deepEqual(entry, ['node', `packages/lab/${bin['tracequest-quest']}`]);
    assert.deepEqual(services.fault.entrypoint, ['node', `packages/lab/${bin['tracequest-fault']}`]);
    assert.match(stage, /^COPY --from=build \/app\/docs\/quests \.\/docs\/quests$/m);
    assert.match(stage, /^USER node$/m);
    // .dockerignore keeps docs out of the context, except the quests.
    const ignored = readRepo('.dockerignore').split('\n');
    assert.ok(ignored.includes('docs/*') && ignored.includes('!docs/quests'));
  });

  it('when the build context is sent, then .dockerignore leaves out local state and outputs', () => {
    const ignored = readRepo('.dockerignore')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of ['**/node_modules', '**/dist', '.run', '.git', 'bench/results', '.env']) assert.ok(ignored.includes(entry), entry);
  });
});
