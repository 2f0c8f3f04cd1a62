// A newcomer's first `npm start`: the Collector and Jaeger are built with visible progress, and a
// failed build stops the start with the reason, never a shop running without traces.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, startStack } from '@tracequest/stack';

/** A `go` of this version that works a little, then fails like a broken download would. */
function brokenGo(version = 'go1.26.0'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-fake-go-'));
  writeFileSync(
    path.join(dir, 'go'),
    `#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && { echo ${version}; exit 0; }\nsleep 16\necho "go: module lookup disabled by GOPROXY=off" >&2\nexit 1\n`,
  );
  chmodSync(path.join(dir, 'go'), 0o755);
  return dir;
}

const run = (script: string, env: Record<string, string>) =>
  spawnSync('bash', [path.join(REPO_ROOT, 'scripts', script)], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env, PATH: `${env.FAKE_GO}:${process.env.PATH}` },
  });

describe('the first npm start', () => {
  it('when a build runs, then it says what it builds and for how long; when it fails, then it stops with the end of the log', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'tq-cache-'));
    const r = run('tools.sh', { FAKE_GO: brokenGo(), TRACEQUEST_CACHE: cache });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /tools: building Jaeger 2\.\d+\.\d+ \(module v1\.\d+\.\d+\) \(a few minutes the first time; log: /);
    assert.match(r.stderr, /tools: +still building Jaeger .* \(15 s\)/);
    assert.match(r.stderr, /tools: building Jaeger .* FAILED after \d+ s; the end of .*jaeger-build\.log:\ngo: module lookup disabled/);
    assert.equal(r.stdout, '', 'no bin directory is printed for a failed build');
  });

  it('when Go is older than the builds need, then it says which Go it found and which it needs, before building', () => {
    const r = run('tools.sh', { FAKE_GO: brokenGo('go1.22.4'), TRACEQUEST_CACHE: mkdtempSync(path.join(tmpdir(), 'tq-cache-')) });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^tools: Go 1\.22\.4 is too old: these builds need Go 1\.25 or newer/m);
    assert.doesNotMatch(r.stderr, /building/);
  });

  it('when the build fails under npm start, then the shop does not start and says why', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'tq-cache-'));
    const r = run('start.sh', { FAKE_GO: brokenGo(), TRACEQUEST_CACHE: cache });
    assert.equal(r.status, 1, r.stderr);
    assert.match(
      r.stderr,
      /tracequest: could not build Jaeger and the Collector \(see above\); the shop would run without traces, so it does not start/,
    );
    assert.doesNotMatch(r.stdout, /tracequest is ready/);
  });

  it('when the binaries are missing, then the native runner refuses to start without traces', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'tq-bin-'));
    const saved = process.env.TOOLS_BIN;
    process.env.TOOLS_BIN = empty;
    try {
      await assert.rejects(startStack(), /otelcol and jaeger not built in .*: run npm run tools \(or npm start, which builds them\)/);
    } finally {
      if (saved === undefined) delete process.env.TOOLS_BIN;
      else process.env.TOOLS_BIN = saved;
    }
  });
});
