// npm start's runner, stopped the way a learner stops it: Ctrl-C in the terminal.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isAlive, nativeEnv, portVar, REPO_ROOT, SERVICES } from '@tracequest/stack';

interface LogLine {
  time: number;
  pid: number;
  msg: string;
  signal?: string;
}

/** The command lines of the running processes that match. */
const commandLines = (match: RegExp) =>
  readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((d) => {
      try {
        return readFileSync(`/proc/${d}/cmdline`, 'utf8').split('\0').join(' ');
      } catch {
        return '';
      }
    })
    .filter((cmd) => match.test(cmd));

/** Runs a second `npm start` to its end: its exit code and everything it said. */
async function startToEnd(env: NodeJS.ProcessEnv = process.env): Promise<{ code: number | null; said: string }> {
  const run = spawn('bash', [path.join(REPO_ROOT, 'scripts/start.sh')], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  run.stdout.on('data', (d) => (said += d));
  run.stderr.on('data', (d) => (said += d));
  const code = await new Promise<number | null>((resolve) => run.once('exit', resolve));
  return { code, said };
}

describe('npm start', () => {
  const logDir = path.join(REPO_ROOT, '.run', 'logs'); // the runner's own
  let runner: ChildProcess;
  let exited: Promise<number | null>;
  let out = '';
  before(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tracequest-start-'));
    // What `OTELCOL_EXTRA_CONFIG=tail-sampling.yaml npm start` runs (quest 11); .env says none.yaml.
    // In a process group of its own, like a terminal's foreground job: a Ctrl-C signals all of it.
    runner = spawn('bash', [path.join(REPO_ROOT, 'scripts/start.sh')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        FAULTS_FILE: path.join(dir, 'faults.json'),
        OTELCOL_EXTRA_CONFIG: 'tail-sampling.yaml',
        TRACE_CONSUME_AS: 'link',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    runner.stdout!.on('data', (d) => (out += d));
    runner.stderr!.on('data', (d) => (out += d));
    exited = new Promise((resolve) => runner.once('exit', (code) => resolve(code)));
    const deadline = Date.now() + 120_000;
    while (!out.includes('Ctrl-C stops everything.')) {
      assert.ok(Date.now() < deadline && runner.exitCode === null, `npm start did not get ready:\n${out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  });
  // Whatever failed, the runner stops what it started.
  after(async () => {
    if (runner?.exitCode === null) {
      process.kill(runner.pid!, 'SIGINT');
      await exited;
    }
  });

  it('when a setting is given in front of it, then it wins over .env', () => {
    const collectors = commandLines(/\/otelcol --config /);
    assert.equal(collectors.length, 1, collectors.join('\n'));
    assert.match(collectors[0], /--config \S+\/tail-sampling\.yaml/);
    // and the banner says that traces are being dropped, and why.
    assert.match(out, /\n {2}Sampling {13}NOT every trace is kept: the Collector samples \(OTELCOL_EXTRA_CONFIG=tail-sampling\.yaml\)/);
    // and that the worker's deliveries are traces of their own (quest 9's switch).
    assert.match(
      out,
      /\n {2}Across the queue {5}each delivery to the worker is a trace of its own, linked to its publish \(TRACE_CONSUME_AS=link\)/,
    );
  });

  it('when npm start is run again while it runs, then the second stops at once, naming the ports in use, and the first runs on', async () => {
    const { code, said } = await startToEnd();
    assert.equal(code, 1, said);
    assert.match(
      said,
      /tracequest: ports 8081 \(AUTH_PORT\), .* and \d+ more on 127\.0\.0\.1 already in use: is tracequest running already/,
    );
    assert.doesNotMatch(said, /is ready in|restarting/);
    const gateway = await fetch(`http://127.0.0.1:${process.env.GATEWAY_PORT ?? 8080}/readyz`);
    assert.equal(gateway.status, 200);
    assert.equal(runner.exitCode, null, 'the first npm start runs on');
  });

  it('when Ctrl-C reaches the whole terminal, then the runner stops every service itself, in order, and restarts none', async () => {
    // What a browser leaves open: on every service and the console, a connection that never sent
    // a request (a preconnect) and a keep-alive one after its answer. Neither holds the stop up.
    const env = nativeEnv();
    const ports = [...SERVICES.map((s) => Number(env[portVar(s)])), Number(env.CONSOLE_PORT)];
    const held: net.Socket[] = [];
    for (const port of ports) {
      const silent = net.connect({ host: '127.0.0.1', port });
      const used = net.connect({ host: '127.0.0.1', port });
      await Promise.all([once(silent, 'connect'), once(used, 'connect')]);
      used.on('data', () => undefined).write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
      held.push(
        silent.on('error', () => undefined),
        used.on('error', () => undefined),
      );
    }
    await new Promise((r) => setTimeout(r, 300));
    const pressed = Date.now();
    process.kill(-runner.pid!, 'SIGINT');
    assert.equal(await exited, 0, out);
    const took = Date.now() - pressed;
    for (const socket of held) socket.destroy();

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
      assert.ok(!isAlive(down.pid), `${s} (pid ${down.pid}) is still running`);
      // Well inside the 10 s a service waits for answers in flight: nothing was in flight.
      const stopped = lines.find((l) => l.msg === 'stopped' && l.pid === down.pid);
      assert.ok(stopped && stopped.time - down.time < 5000, `${s} took ${stopped && stopped.time - down.time} ms to stop`);
      return { s, at: down.time };
    });
    // The console waits at most 5 s: all of it stopped before any one part would have given up.
    assert.ok(took < 5000, `npm start took ${took} ms to stop`);
    // The gateway first, auth last: callers stop before the services they call.
    const order = [...stops].sort((a, b) => a.at - b.at).map((x) => x.s);
    assert.deepEqual(order, [...SERVICES].reverse());
  });

  it('when a setting is wrong, then npm start stops, shows what the service said, and leaves nothing running', async () => {
    // A percentage where the sampler wants a ratio (quest 11): the telemetry preload refuses it.
    const { code, said } = await startToEnd({
      ...process.env,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '10',
    });
    assert.equal(code, 1, said);
    assert.match(
      said,
      /tracequest: \w+ exited \(1\); see \S+\.log\n\s+telemetry: invalid telemetry configuration:\n\s+OTEL_TRACES_SAMPLER_ARG: /,
    );
    assert.doesNotMatch(said, /is ready in/);
    assert.deepEqual(commandLines(/dist\/src\/main\.js|\/otelcol --config|\/jaeger --config/), []);
  });

  it('when the Collector will not load its config, then npm start stops, says so, and leaves Jaeger not running either', async () => {
    // A learner's broken edit of the Collector's config (quest 12 has one edit it): here an overlay
    // that names a processor nobody built.
    const dir = mkdtempSync(path.join(tmpdir(), 'tq-bad-otelcol-'));
    const overlay = path.join(dir, 'broken.yaml');
    writeFileSync(overlay, 'processors:\n  no_such_processor: {}\n');
    const { code, said } = await startToEnd({
      ...process.env,
      OTELCOL_EXTRA_CONFIG: path.relative(path.join(REPO_ROOT, 'infra/otel-collector'), overlay),
    });
    assert.equal(code, 1, said);
    assert.match(said, /tracequest: otelcol exited \(1\); see \S+otelcol\.log/);
    assert.deepEqual(commandLines(/dist\/src\/main\.js|\/otelcol --config|\/jaeger --config/), [], 'nothing left running');
  });
});
