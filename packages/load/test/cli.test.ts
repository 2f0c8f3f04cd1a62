// The command a learner types: `npm run load -- --help` shows the scenarios, a wrong name or a runaway rate says so.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const CLI = path.join(__dirname, '..', 'src', 'cli.js');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

describe('npm run load', () => {
  it('when asked for --help, then it prints the usage and the scenarios and exits 0', () => {
    for (const flag of ['--help', '-h']) {
      const r = run(flag);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /^usage: npm run load -- <scenario>/);
      assert.match(r.stdout, /\n {2}smoke {10}/);
    }
  });

  it('when the scenario does not exist, then it names it, shows the usage and exits 2 without sending anything', () => {
    const r = run('nope');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^load: no scenario "nope"\n\nusage: npm run load -- <scenario>/);
  });

  it('when a rate past the limit is asked for, then it exits 1 at once, naming the limit, before it logs in or starts vegeta', () => {
    // Nothing listens on this address: reaching for the shop would fail with another message.
    const r = spawnSync(process.execPath, [CLI, 'checkout-rate', '-e', 'RATE=1e9', '-e', 'BASE_URL=http://127.0.0.1:9'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 1, r.stderr);
    assert.equal(
      r.stderr,
      'load: checkout-rate: 1000000000 requests a second in phase "steady"; the most is 2000 (limits.rate in loadtest/scenarios.json)\n',
    );
  });

  it('when a -e names no knob of the scenario, then it is refused with the knobs listed, not run at the default rate', () => {
    const r = run('checkout-rate', '-e', 'RAT=5', '-e', 'BASE_URL=http://127.0.0.1:9');
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /^load: -e RAT=5: checkout-rate has no knob RAT \(its knobs: BASE_URL, .*RATE, DURATION, P95_MS, CONSOLE_URL\)\n$/,
    );
  });

  it('when the summary cannot be written, then it says so before the run, not after it', () => {
    const r = run('smoke', '--summary-export', '/dev/null/summary.json', '-e', 'BASE_URL=http://127.0.0.1:9');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^load: ENOTDIR: not a directory, open '\/dev\/null\/summary\.json'\n$/);
  });
});
