// The native runner (npm start) restarts a crashed service, as compose does with restart: unless-stopped.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { restartDelayMs, type Stack, startStack } from '@tracequest/stack';
import { eventually } from '@tracequest/testkit';

const lines: string[] = [];
let stack: Stack;
before(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tracequest-restart-'));
  stack = await startStack({ observability: false, env: { FAULTS_FILE: path.join(dir, 'faults.json') }, log: (l) => lines.push(l) });
});
after(() => stack?.stop());

const ready = async (url: string) =>
  (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined))?.ok === true;

/** Kills a service with SIGKILL and waits until a new process of it answers ready. */
async function killAndWait(service: 'order' | 'payment') {
  const pid = stack.pids()[service]!;
  process.kill(pid, 'SIGKILL');
  await eventually(async () => {
    const now = stack.pids()[service];
    return now !== undefined && now !== pid && (await ready(stack.urls[service]));
  }, 30_000).then(
    // The runner polls readiness too: let it see this process up before the next kill.
    () => new Promise((r) => setTimeout(r, 500)),
    (err) => {
      const log = readFileSync(stack.logFile(service), 'utf8')
        .split('\n')
        .filter((l) => !l.includes('"request"'))
        .slice(-15);
      throw new Error(`${(err as Error).message}; the runner said:\n${lines.join('\n')}\n${service}.log:\n${log.join('\n')}`);
    },
  );
}

describe('the native runner', () => {
  it('when the backoff grows, then it doubles from 1 s and stops at 30 s', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7].map(restartDelayMs), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('when a service is killed with -9, then it comes back, saying so, with a longer wait each time', async () => {
    const started = Date.now();
    await killAndWait('order');
    assert.ok(lines.includes('order exited with code 137; restarting in 1 s (restart 1)'), lines.join('\n'));
    await killAndWait('order');
    assert.ok(lines.includes('order exited with code 137; restarting in 2 s (restart 2)'), lines.join('\n'));
    assert.ok(Date.now() - started >= 3000);
    // A restart appends to the service's log (what a killed process had not flushed yet is lost).
    assert.ok(readFileSync(stack.logFile('order'), 'utf8').includes('order listening'));
    assert.ok(!lines.some((l) => l.includes('did not come back')), lines.join('\n'));
  });

  it('when a service is stopped on purpose, then it stays stopped', async () => {
    await stack.stopService('payment');
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(stack.pids().payment, undefined);
    assert.ok(!lines.some((l) => l.startsWith('payment ')), lines.join('\n'));
  });
});
