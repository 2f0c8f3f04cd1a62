// A service stops on SIGTERM even when nobody reads its output any more (the runner that started
// it died): its last log lines must not hold up the exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { describe, it } from 'node:test';

describe('shutdown', () => {
  it('when stdout is closed under a running service, then SIGTERM still stops it, with status 0', { timeout: 20_000 }, async () => {
    const script = `
      const { createLogger } = require('@tracequest/telemetry');
      const { handleShutdown } = require(${JSON.stringify(path.join(__dirname, '../src/server.js'))});
      const log = createLogger('shutdown-test', 'info');
      handleShutdown(log, [{ name: 'nothing', close: () => undefined }]);
      log.info('up');
      setTimeout(() => process.stderr.write('ready\\n'), 500);
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['-e', script], { cwd: path.join(__dirname, '../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    await once(child.stderr!, 'data');
    const exited = once(child, 'exit');
    child.stdout!.destroy();
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise((r) => {
      timer = setTimeout(() => r('still running after 8 s'), 8000);
    });
    const code = await Promise.race([exited.then(([c]) => c), late]);
    clearTimeout(timer);
    if (code === 'still running after 8 s') child.kill('SIGKILL');
    assert.equal(code, 0);
  });
});
