// A runner that dies (kill -9, a crash) must not leave the next npm start facing busy ports.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type Stack, startStack } from '../src/index';
import { startStamp, stopLeftovers } from '../src/leftovers';

const dir = mkdtempSync(path.join(tmpdir(), 'tq-leftovers-'));
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const src = (file: string) => JSON.stringify(path.resolve(__dirname, '../src', file));

/** A runner of our own, in another process: a script that prints one line of JSON once it is ready. */
async function runner(script: string): Promise<{ child: ChildProcess; said: unknown; stderr: () => string }> {
  const child = spawn(process.execPath, ['-e', script], { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const [line] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, said: JSON.parse(line.toString()), stderr: () => err };
}

const sleeper = () => {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
};

async function deadPid(): Promise<number> {
  const c = spawn('true');
  await once(c, 'exit');
  return c.pid!;
}

/** Still running: a zombie (an orphan's exit that init has not read yet) has stopped. */
const running = (pid: number) => startStamp(pid) !== undefined;

const waitGone = async (pid: number, ms = 5000) => {
  for (const end = Date.now() + ms; Date.now() < end && running(pid); ) await new Promise((r) => setTimeout(r, 50));
  return !running(pid);
};

describe('what a dead runner left running', () => {
  it('when npm start is killed outright, then the next start stops its six services and starts its own', {
    timeout: 120_000,
  }, async () => {
    const logDir = path.join(dir, 'logs');
    const first = await runner(`
      const { startStack } = require(${src('index.js')});
      startStack({ observability: false, console: false, detached: true, logDir: ${JSON.stringify(logDir)}, log: () => {} })
        .then((s) => console.log(JSON.stringify(s.pids())), (e) => { console.error(e); process.exit(1); });
      setInterval(() => {}, 1000);
    `);
    const pids = first.said as Record<string, number>;
    assert.equal(Object.keys(pids).length, 6);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    // What the learner would face: the services still run, on their ports.
    for (const pid of Object.values(pids)) assert.ok(running(pid), `pid ${pid} outlived its runner`);

    const said: string[] = [];
    let stack: Stack | undefined;
    try {
      stack = await startStack({ observability: false, console: false, logDir, log: (l) => said.push(l) });
      const line = said.find((l) => l.startsWith('stopped what an earlier run left running when it died: '));
      assert.ok(line, `said: ${said.join('\n')}`);
      for (const [name, pid] of Object.entries(pids)) {
        assert.ok(line.includes(`${name} (pid ${pid})`), `${name} named in: ${line}`);
        assert.ok(!running(pid), `${name} (pid ${pid}) stopped`);
      }
      const res = await fetch(`${stack.urls.gateway}/healthz`);
      assert.equal(res.status, 200);
    } finally {
      await stack?.stop();
    }
  });

  it('when the runner crashes, then every process it started is stopped and it exits 1', { timeout: 30_000 }, async () => {
    const crash = await runner(`
      const { startProcess } = require(${src('process.js')});
      const { stopAllOnCrash } = require(${src('leftovers.js')});
      stopAllOnCrash();
      const p = startProcess('sleeper', 'sleep', ['60'], { cwd: ${JSON.stringify(dir)}, env: { PATH: process.env.PATH }, logDir: ${JSON.stringify(dir)}, detached: true });
      console.log(JSON.stringify(p.child.pid));
      setTimeout(() => { throw new Error('a bug in the runner'); }, 300);
    `);
    const pid = crash.said as number;
    const [code] = await once(crash.child, 'exit');
    assert.equal(code, 1);
    assert.match(crash.stderr(), /the runner failed, stopping everything: Error: a bug in the runner/);
    assert.ok(await waitGone(pid), `the sleeper (pid ${pid}) was stopped`);
  });

  it('when a run that owns its stack (the bench) alone is killed, then it stops the stack, cleans up and exits 128 + the signal', {
    timeout: 120_000,
  }, async () => {
    const made = path.join(dir, 'made-by-the-run');
    writeFileSync(made, '');
    const run = await runner(`
      const { startStack, cleanUpOnSignals } = require(${src('index.js')});
      startStack({ observability: false, console: false, logDir: ${JSON.stringify(path.join(dir, 'run-logs'))}, log: () => {} }).then((s) => {
        cleanUpOnSignals('run', async () => { await s.stop(); require('node:fs').rmSync(${JSON.stringify(made)}); });
        console.log(JSON.stringify(s.pids()));
      }, (e) => { console.error(e); process.exit(1); });
      setInterval(() => {}, 1000);
    `);
    const pids = run.said as Record<string, number>;
    assert.equal(Object.keys(pids).length, 6);
    run.child.kill('SIGTERM');
    const [code] = await once(run.child, 'exit');
    assert.equal(code, 143, run.stderr());
    assert.match(run.stderr(), /^run: SIGTERM, stopping the stack$/m);
    for (const [name, pid] of Object.entries(pids)) assert.ok(await waitGone(pid), `${name} (pid ${pid}) stopped`);
    assert.ok(!existsSync(made), 'what the run made is removed');
  });

  it('when a recorded pid now belongs to another process, or its runner still runs, then nothing is stopped', async () => {
    const runs = path.join(dir, 'runs');
    mkdirSync(runs, { recursive: true });
    const stranger = sleeper();
    await new Promise((r) => setTimeout(r, 100));
    const dead = await deadPid();
    // A dead runner's record whose pid was reused: the start stamp differs.
    writeFileSync(
      path.join(runs, `${dead}.json`),
      JSON.stringify({ runner: { name: 'runner', pid: dead, started: '1' }, processes: [{ name: 'jaeger', pid: stranger, started: '1' }] }),
    );
    // A live runner's record (another npm start, running): its processes are its own.
    const live = sleeper();
    await new Promise((r) => setTimeout(r, 100));
    const liveRecord = path.join(runs, `${live}.json`);
    writeFileSync(
      liveRecord,
      JSON.stringify({
        runner: { name: 'runner', pid: live, started: startStamp(live) },
        processes: [{ name: 'otelcol', pid: stranger, started: startStamp(stranger) }],
      }),
    );
    assert.deepEqual(await stopLeftovers(runs), []);
    assert.ok(running(stranger));
    assert.ok(existsSync(liveRecord), "a live runner's record stays");
    assert.ok(!existsSync(path.join(runs, `${dead}.json`)), "a dead runner's record is gone once read");

    // The same process, recorded by a dead runner with its own stamp: stopped.
    const other = await deadPid();
    writeFileSync(
      path.join(runs, `${other}.json`),
      JSON.stringify({
        runner: { name: 'runner', pid: other, started: '1' },
        processes: [{ name: 'otelcol', pid: stranger, started: startStamp(stranger) }],
      }),
    );
    assert.deepEqual(await stopLeftovers(runs), [`otelcol (pid ${stranger})`]);
    assert.ok(await waitGone(stranger));
  });

  it('when leftovers are stopped, then last started goes first, and the Collector and Jaeger go last', async () => {
    const runs = path.join(dir, 'order-runs');
    mkdirSync(runs, { recursive: true });
    const said = path.join(dir, 'stopped.txt');
    writeFileSync(said, '');
    // Each says its name when it gets SIGTERM, then exits.
    const started = ['jaeger', 'otelcol', 'auth', 'gateway', 'console'].map((name) => {
      const c = spawn(
        process.execPath,
        [
          '-e',
          `process.on('SIGTERM', () => { require('node:fs').appendFileSync(${JSON.stringify(said)}, '${name}\\n'); process.exit(0); }); setInterval(() => {}, 1000);`,
        ],
        { stdio: 'ignore' },
      );
      children.push(c);
      return { name, pid: c.pid! };
    });
    await new Promise((r) => setTimeout(r, 300));
    const dead = await deadPid();
    writeFileSync(
      path.join(runs, `${dead}.json`),
      JSON.stringify({
        runner: { name: 'runner', pid: dead, started: '1' },
        processes: started.map((p) => ({ ...p, started: startStamp(p.pid) })),
      }),
    );
    assert.equal((await stopLeftovers(runs)).length, 5);
    assert.deepEqual(readFileSync(said, 'utf8').trim().split('\n'), ['console', 'gateway', 'auth', 'otelcol', 'jaeger']);
  });
});
