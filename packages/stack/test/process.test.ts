// A managed process's output goes to its log until the last byte, even after the process exited.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { startProcess } from '../src/process';

const logDir = mkdtempSync(path.join(tmpdir(), 'tq-process-'));
after(() => rmSync(logDir, { recursive: true, force: true }));

const closed = (p: ReturnType<typeof startProcess>) => new Promise((resolve) => p.child.once('close', resolve));

describe('startProcess', () => {
  it('when a child it left behind writes after it exited, then the line is in the log and the stack keeps running', {
    timeout: 10_000,
  }, async () => {
    const p = startProcess('late', 'sh', ['-c', 'echo first; (sleep 0.3; echo late; echo late-err >&2) &'], {
      cwd: logDir,
      env: { PATH: process.env.PATH ?? '' },
      logDir,
    });
    const done = closed(p);
    assert.equal(await p.exited, 0);
    await done;
    await new Promise((r) => setTimeout(r, 100));
    const log = readFileSync(p.logFile, 'utf8');
    assert.match(log, /^first\n/);
    assert.match(log, /\nlate\n/);
    assert.match(log, /late-err\n/);
  });

  it('when the command does not exist, then the log says it could not be started and it exits 127', { timeout: 10_000 }, async () => {
    const p = startProcess('nothing', path.join(logDir, 'no-such-command'), [], { cwd: logDir, env: {}, logDir });
    assert.equal(await p.exited, 127);
    await new Promise((r) => setTimeout(r, 200));
    assert.match(readFileSync(p.logFile, 'utf8'), /^nothing could not be started: spawn .*no-such-command ENOENT\n$/);
  });
});
