// The command a learner types: `npm run load -- --help` shows the scenarios, a wrong name or a runaway rate says so.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startFakeShop } from './fake-shop';

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

  it('when a second scenario or a stray word follows the scenario, then it is refused with the usage, not ignored', () => {
    const r = run('smoke', 'checkout-mix');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^load: one scenario a run; what is "checkout-mix"\?\n\nusage: npm run load -- <scenario>/);
  });

  it('when an address knob is not an http(s) address, then it is refused before anything is sent', async () => {
    const shop = await startFakeShop();
    try {
      for (const [knob, value] of [
        ['BASE_URL', 'file:///etc/passwd'],
        ['BASE_URL', '127.0.0.1:8080'],
        ['JAEGER_URL', 'javascript:alert(1)'],
        ['CONSOLE_URL', 'http://127.0.0.1:8090/ #'],
      ]) {
        const base = knob === 'BASE_URL' ? [] : ['-e', `BASE_URL=${shop.url}`];
        const r = run('smoke', ...base, '-e', `${knob}=${value}`);
        assert.equal(r.status, 1, `${knob}=${value}: ${r.stderr}`);
        assert.equal(r.stderr, `load: ${knob} must be an http:// or https:// address, got "${value}"\n`);
      }
      assert.deepEqual(shop.seen, [], 'nothing reached the shop');
    } finally {
      await shop.close();
    }
  });

  it('when the summary cannot be written, then it says so before the run, not after it', () => {
    const r = run('smoke', '--summary-export', '/dev/null/summary.json', '-e', 'BASE_URL=http://127.0.0.1:9');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^load: ENOTDIR: not a directory, open '\/dev\/null\/summary\.json'\n$/);
  });

  it('when Ctrl-C stops a run, then the requests in flight are answered, the summary of the part that ran is printed, and it exits 130', async () => {
    const shop = await startFakeShop();
    try {
      shop.set({ delayMs: 150 });
      // Its own process group, as a command in a terminal: Ctrl-C signals the whole group.
      const child = spawn(process.execPath, [CLI, 'checkout-rate', '-e', `BASE_URL=${shop.url}`, '-e', 'RATE=20', '-e', 'DURATION=60s'], {
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const orders = () => shop.seen.filter((s) => s.path === '/api/orders').length;
      for (let i = 0; i < 200 && orders() < 20; i++) await sleep(50);
      assert.ok(orders() >= 20, `the run sent no checkouts: ${stderr}`);
      process.kill(-child.pid!, 'SIGINT');
      assert.equal(await exited, 130, stderr);

      assert.match(stderr, /load: SIGINT: stopping after the requests in flight/);
      const sent = Number(/^checkout-rate: (\d+) requests of (\d+) planned, 0 dropped/m.exec(stdout)?.[1]);
      assert.equal(sent, orders(), `every checkout the shop saw is in the summary:\n${stdout}`);
      assert.ok(sent < 1200, 'it stopped before the end of the plan');
      assert.match(stdout, /checks: (\d+) passed, 0 failed/);
      assert.match(
        stdout,
        /\nstopped early: interrupted \(SIGINT\) during steady\nstopped before its end: the thresholds held for the part that ran\n$/,
      );
      // vegeta stopped with it: nothing more reaches the shop.
      await sleep(1000);
      assert.equal(orders(), sent);
    } finally {
      await shop.close();
    }
  });
});
