// The service logger buffers lines and flushes them on a timer: lines arrive, and an idle service
// makes no writes at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

/** Runs a logger in a child process, counting what it writes to stdout, and when. */
function writesOf(script: string): { at: number; text: string }[] {
  const logger = path.join(__dirname, '../src/logger.js');
  const child = `
    const fs = require('node:fs');
    const writes = [];
    const t0 = Date.now();
    for (const name of ['write', 'writeSync']) {
      const original = fs[name];
      fs[name] = function (fd, data, ...rest) {
        if (fd === 1) writes.push({ at: Date.now() - t0, text: String(data) });
        return original.call(this, fd, data, ...rest);
      };
    }
    const log = require(${JSON.stringify(logger)}).createLogger('logger-test', 'info');
    const wait = (ms) => new Promise((r) => setTimeout(r, ms));
    (async () => { ${script}; fs.writeFileSync(3, JSON.stringify(writes)); })();`;
  // stdout is the logger's; what it wrote comes back on fd 3.
  const run = spawnSync(process.execPath, ['-e', child], { stdio: ['ignore', 'ignore', 'inherit', 'pipe'], timeout: 10_000 });
  return JSON.parse(String(run.output[3]));
}

describe('the service logger', () => {
  it('when a line is logged, then it reaches stdout within the flush interval', () => {
    const writes = writesOf(`log.info({ order_id: 'o-1' }, 'hello'); await wait(600)`);
    const line = writes.find((w) => w.text.includes('"msg":"hello"'));
    assert.ok(line, JSON.stringify(writes));
    assert.ok(line.at < 600, `written after ${line.at} ms`);
  });

  it('when nothing is logged, then the flush timer writes nothing: an idle service makes no system calls for it', () => {
    const writes = writesOf(
      `log.info('one line'); await wait(400); const before = writes.length; await wait(1200); writes.push({ at: -1, text: String(writes.length - before) })`,
    );
    assert.equal(writes.at(-1)?.text, '0', `writes while idle: ${JSON.stringify(writes)}`);
  });
});
