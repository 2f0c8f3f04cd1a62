// `npm run bench` as typed: the usage on --help, and a typo or a results folder it cannot make stops it
// at once, before it starts the stack for an 8-minute run.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { nativeEnv } from '@tracequest/stack';

const MAIN = path.join(__dirname, '..', 'src', 'main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 20_000 });

describe('npm run bench, its options', () => {
  it('when asked for --help, then it prints the usage and exits 0 without starting anything', () => {
    const r = run('--help');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: npm run bench \[-- --quick\] \[-- --results DIR\]/);
    assert.doesNotMatch(r.stdout, /starting the native stack/);
  });

  it('when npm run bench -- --help is typed, then the script answers without installing or building anything', () => {
    const r = spawnSync('bash', [path.join(__dirname, '..', '..', '..', 'scripts', 'bench.sh'), '--help'], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^usage: npm run bench/);
    assert.doesNotMatch(r.stdout + r.stderr, /vite|tsc|postgres/i, 'nothing was built or started');
  });

  it('when an option is misspelt, then it says which, shows the usage and exits 2 without starting the stack', () => {
    const r = run('--quik');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^bench: Unknown option '--quik'.*\n\nusage: npm run bench/);
    assert.equal(r.stdout, '', 'no trial started');
  });

  it('when the results folder cannot be made, then it says so before the run, not after it', () => {
    // A file where the folder should be: refused whoever runs it (root included).
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bench-results-')), 'a-file');
    writeFileSync(file, '');
    const r = run('--quick', '--results', path.join(file, 'results'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^bench: ENOTDIR: not a directory/);
    assert.equal(r.stdout, '', 'no trial started');
  });

  it('when its stack cannot start (a port is taken), then it says why, exits 1 and leaves no flags folder behind', async () => {
    const taken = createServer().listen(Number(nativeEnv().GATEWAY_PORT), '127.0.0.1');
    await once(taken, 'listening');
    try {
      const tmp = mkdtempSync(path.join(tmpdir(), 'bench-tmp-'));
      const child = spawn(process.execPath, [MAIN, '--quick', '--results', tmp], { env: { ...process.env, TMPDIR: tmp } });
      let stderr = '';
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const [code] = await once(child, 'exit');
      assert.equal(code, 1, stderr);
      assert.match(stderr, /already in use/);
      assert.deepEqual(
        readdirSync(tmp).filter((f) => f.startsWith('tracequest-bench-')),
        [],
      );
    } finally {
      taken.close();
    }
  });
});
