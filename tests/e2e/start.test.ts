// npm start's runner, stopped the way a learner stops it: Ctrl-C in the terminal.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, SERVICES } from '@tracequest/stack';

interface LogLine {
  time: number;
  pid: number;
  msg: string;
  signal?: string;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('npm start', () => {
  it('when Ctrl-C reaches the whole terminal, then the runner stops every service itself, in order, and restarts none', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracequest-start-'));
    const logDir = path.join(REPO_ROOT, '.run', 'logs'); // the runner's own
    // A process group of its own, like a terminal's foreground job: a Ctrl-C signals all of it.
    const runner = spawn(process.execPath, [path.join(REPO_ROOT, 'packages/stack/dist/src/cli.js')], {
      cwd: REPO_ROOT,
      env: { ...process.env, FAULTS_FILE: path.join(dir, 'faults.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    runner.stdout.on('data', (d) => (out += d));
    runner.stderr.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((resolve) => runner.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!out.includes('Ctrl-C stops everything.')) {
      assert.ok(Date.now() < deadline && runner.exitCode === null, `npm start did not get ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    process.kill(-runner.pid!, 'SIGINT');
    assert.equal(await exited, 0, out);

    assert.match(out, /stopping\.\.\./);
    assert.doesNotMatch(out, /restarting/, out);
    const stops = SERVICES.map((s) => {
      const lines = readFileSync(path.join(logDir, `${s}.log`), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine);
      const down = lines.find((l) => l.msg === 'shutting down');
      assert.ok(down, `${s} never logged its shutdown`);
      // The terminal's SIGINT never reached it: the runner's SIGTERM did.
      assert.equal(down.signal, 'SIGTERM', s);
      assert.ok(!alive(down.pid), `${s} (pid ${down.pid}) is still running`);
      return { s, at: down.time };
    });
    // The gateway first, auth last: callers stop before the services they call.
    const order = [...stops].sort((a, b) => a.at - b.at).map((x) => x.s);
    assert.deepEqual(order, [...SERVICES].reverse());
  });
});
