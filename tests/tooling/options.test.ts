// npm run bench, npm run chaos and npm run load check their options before they start or build
// anything: a typo costs seconds, not a Go build or a Postgres start.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';

/** A `go` that fails at once, and an empty cache: any build the script starts fails loudly. */
function noTools() {
  const bin = mkdtempSync(path.join(tmpdir(), 'tq-fake-go-'));
  writeFileSync(path.join(bin, 'go'), '#!/bin/sh\necho "go: this test builds nothing" >&2\nexit 1\n');
  chmodSync(path.join(bin, 'go'), 0o755);
  const cache = mkdtempSync(path.join(tmpdir(), 'tq-cache-'));
  return { cache, env: { ...process.env, PATH: `${bin}:${process.env.PATH}`, TRACEQUEST_CACHE: cache } };
}

const run = (script: string, args: string[], env: NodeJS.ProcessEnv) =>
  spawnSync('bash', [path.join(REPO_ROOT, 'scripts', script), ...args], {
    cwd: REPO_ROOT,
    // The suite holds the stack lock already: chaos.sh must not wait for it.
    env: { ...env, TRACEQUEST_LOCKED: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });

describe('the options of npm run load', () => {
  it('when npm run load is given a scenario that does not exist, then it lists the scenarios, and builds nothing', () => {
    const { cache, env } = noTools();
    const r = run('load.sh', ['smoek'], env);
    assert.equal(r.status, 2, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /^load: no scenario "smoek"/m);
    assert.match(r.stderr, /^ {2}smoke +/m, 'the scenarios are listed');
    assert.doesNotMatch(r.stderr, /tools: /);
    assert.deepEqual(readdirSync(cache), [], 'vegeta was not built');
  });

  it('when npm run load is given a knob its scenario does not have, then it names the knobs, and builds nothing', () => {
    const { cache, env } = noTools();
    const r = run('load.sh', ['smoke', '-e', 'VU=5'], env);
    assert.equal(r.status, 1, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stderr, /^load: -e VU=5: smoke has no knob VU \(its knobs: .*VUS/m);
    assert.doesNotMatch(r.stderr, /tools: /);
    assert.deepEqual(readdirSync(cache), []);
  });

  it('when a knob has a bad value, a rate is past the limit or the scenario is for k6 only, then it says so and builds nothing', () => {
    const refused: [string[], RegExp][] = [
      [['smoke', '-e', 'BASE_URL=gateway:8080'], /^load: BASE_URL must be an http:\/\/ or https:\/\/ address, got "gateway:8080"$/m],
      [['checkout-rate', '-e', 'RATE=1e9'], /^load: checkout-rate: 1000000000 requests a second in phase "steady"; the most is 2000/m],
      [['background'], /^load: background: k6 only/m],
    ];
    for (const [args, message] of refused) {
      const { cache, env } = noTools();
      const r = run('load.sh', args, env);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /tools: /);
      assert.deepEqual(readdirSync(cache), [], `${args.join(' ')}: vegeta was not built`);
    }
  });
});

describe('the options of npm run bench and npm run chaos', () => {
  for (const [script, name] of [
    ['bench.sh', 'bench'],
    ['chaos.sh', 'chaos'],
  ] as const) {
    it(`when npm run ${name} is given an option it does not know, then it says so with its usage, and starts and builds nothing`, () => {
      const { cache, env } = noTools();
      const r = run(script, ['--quikc'], env);
      assert.equal(r.status, 2, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^${name}: Unknown option '--quikc'`, 'm'));
      assert.match(r.stderr, new RegExp(`usage: npm run ${name} \\[-- --quick\\]`));
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /tools: |deps: /, 'no build, no database started');
      assert.deepEqual(readdirSync(cache), [], 'nothing was fetched into the cache');
    });

    it(`when npm run ${name} is asked for --help, then it prints its usage and exits 0 without a build`, () => {
      const { env } = noTools();
      const r = run(script, ['--help'], env);
      assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, new RegExp(`^usage: npm run ${name} \\[-- --quick\\] \\[-- --results DIR\\]`));
      assert.match(r.stdout, /--results DIR +where /);
      assert.doesNotMatch(`${r.stdout}${r.stderr}`, /tools: /);
    });
  }
});
