// The faults a chaos run injects. Each resolves once the harm is undone (the fault's end): the
// service ready again, the broker or database back, the Collector started again.
import { execFile } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { isAlive, type ServiceName, type Stack } from '@tracequest/stack';

const run = promisify(execFile);

export interface Fault {
  name: string;
  /** Injects the fault, waits downMs, undoes it; resolves with a note on how it came back. */
  inject(stack: Stack): Promise<string>;
}

async function ready(url: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return true;
    await sleep(100);
  }
  return false;
}

/**
 * kill -9, then wait for the native runner to start it again (as compose's restart: unless-stopped
 * does): the fault is undone when a new process of it answers ready.
 */
export const killService = (service: ServiceName): Fault => ({
  name: `kill -9 ${service}`,
  async inject(stack) {
    const pid = stack.pids()[service];
    if (!pid) throw new Error(`${service} is not running`);
    process.kill(pid, 'SIGKILL');
    const readyz = `${stack.urls[service]}/readyz`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const now = stack.pids()[service];
      if (now && now !== pid && isAlive(now) && (await ready(readyz, 200))) return 'restarted by the runner';
      await sleep(100);
    }
    throw new Error(`${service} was not restarted by the runner within 60 s`);
  },
});

/** The broker application stopped and started again (the Erlang node stays up), as the e2e tests do. */
export const restartRabbitmq = (downMs: number): Fault => ({
  name: 'restart RabbitMQ',
  async inject() {
    await run('rabbitmqctl', ['-q', 'stop_app']);
    await sleep(downMs);
    await run('rabbitmqctl', ['-q', 'start_app']);
    await run('rabbitmqctl', ['-q', 'await_startup']);
    return 'stop_app, start_app';
  },
});

/** The Postgres cluster on POSTGRES_PORT stopped (fast: connections cut) and started again. */
export const restartPostgres = (downMs: number): Fault => ({
  name: 'restart Postgres',
  async inject(stack) {
    const port = stack.env.POSTGRES_PORT ?? '5432';
    const { stdout } = await run('pg_lsclusters', ['-h']);
    const cluster = stdout
      .split('\n')
      .map((l) => l.trim().split(/\s+/))
      .find((f) => f[2] === port);
    if (!cluster) throw new Error(`no Postgres cluster on port ${port} (pg_lsclusters)`);
    const [version, name] = cluster;
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'stop', '-m', 'fast']);
    await sleep(downMs);
    await run('pg_ctlcluster', ['--skip-systemctl-redirect', version, name, 'start']);
    for (let i = 0; i < 60; i++) {
      const up = await run('pg_isready', ['-q', '-h', '127.0.0.1', '-p', port]).then(
        () => true,
        () => false,
      );
      if (up) return `pg_ctlcluster ${version} ${name} stop -m fast, start`;
      await sleep(500);
    }
    throw new Error('Postgres did not come back in 30 s');
  },
});

/** The Collector killed, so every service's exporter finds nobody listening, then started again. */
export const dropCollector = (downMs: number): Fault => ({
  name: 'drop the Collector',
  async inject(stack) {
    const pid = stack.infraPids().otelcol;
    if (!pid) throw new Error('the Collector is not running');
    process.kill(pid, 'SIGKILL');
    await sleep(downMs);
    await stack.restartCollector();
    return 'kill -9, started again';
  },
});
