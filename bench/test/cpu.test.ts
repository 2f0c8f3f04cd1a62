// The bench's CPU accounting: a process is measured with everything it starts, live or gone.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rootsNamed, snapshot } from '../src/cpu';

/** A node command that spends `ms` of CPU (user time) and exits. */
const burn = (ms: number) => `"${process.execPath}" -e "const t=process.cpuUsage();while(process.cpuUsage(t).user<${ms * 1000});"`;

describe('CPU per process tree', () => {
  it('when a measured process runs children that exit or stay during a step, then their CPU is counted, and its children are not measured as roots of their own', async () => {
    // A shell under a name of its own, like a postmaster: after a second it runs one child to its
    // end (as a pool's short-lived backend), then one in a subshell that stays (a live backend).
    const dir = mkdtempSync(path.join(tmpdir(), 'tq-cpu-'));
    const shell = path.join(dir, 'tqcpu-root');
    copyFileSync('/bin/sh', shell);
    const script = `sleep 1; ${burn(300)}; (${burn(300)}; sleep 30) & sleep 30`;
    const root = spawn(shell, ['-c', script], { stdio: 'ignore', detached: true });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const roots = rootsNamed(/^tqcpu-root$/);
      assert.deepEqual(roots, [root.pid], 'the shell, not its subshell');
      const groups = { db: roots };
      const before = snapshot(groups).db;
      let used = 0;
      for (let i = 0; i < 100 && used < 600; i++) {
        await new Promise((r) => setTimeout(r, 100));
        used = snapshot(groups).db - before;
      }
      assert.ok(used >= 600, `the two children's 600 ms were counted: ${used} ms`);
      assert.ok(rootsNamed(/^tqcpu-root$/).length === 1, 'the subshell is still no root of its own');
    } finally {
      process.kill(-root.pid!, 'SIGKILL'); // the shell's whole group
    }
  });
});
