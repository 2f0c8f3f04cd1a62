// Starts the whole native stack once per test file and gives tests what they need to look at
// its real effects: the gateway, Jaeger's API, the database and the service logs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { flagsVersion, readFlagsText, SERVICES } from '@tracequest/faults';
import { type Stack, type StackOptions, startStack } from '@tracequest/stack';
import { eventually } from '@tracequest/testkit';
import { Pool } from 'pg';
import { Jaeger } from './jaeger';

export interface Harness {
  stack: Stack;
  /** The settings this file's stack was started with on top of .env: its own flags and quest progress files. */
  env: Record<string, string>;
  gateway: string;
  /** The gateway's admin API, on its own loopback listener. */
  admin: string;
  /** The console (its page and its endpoints), started after the gateway. */
  console: string;
  jaeger: Jaeger;
  db: Pool;
  /** Parsed JSON log lines a service wrote so far. */
  logs(service: string): Record<string, unknown>[];
  rawLogs(service: string): string;
  /** Waits until every service has loaded the flags file as it is now (each one's /healthz says which). */
  faultsApplied(): Promise<void>;
  /** Runs fn after the file's tests, before the database and the stack close. */
  defer(fn: () => Promise<unknown>): void;
}

export function useStack(opts: StackOptions = {}): Harness {
  const h = {} as Harness;
  const deferred: (() => Promise<unknown>)[] = [];
  h.defer = (fn) => void deferred.push(fn);
  before(async () => {
    // A flags file of the file's own: no fault left on by an earlier run leaks in.
    const dir = mkdtempSync(path.join(tmpdir(), 'tracequest-run-'));
    // And a quest progress file of its own: the console's Quests tab never touches the learner's.
    const env = {
      FAULTS_FILE: path.join(dir, 'faults.json'),
      QUEST_PROGRESS_FILE: path.join(dir, 'quests.json'),
      // Spans sent every 200 ms instead of every second (.env): a test waits for its trace in
      // Jaeger, several times a test, and the suite takes a minute less. The pipeline is the same.
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ...opts.env,
    };
    h.stack = await startStack({ ...opts, env, observability: true });
    h.env = env;
    h.gateway = h.stack.urls.gateway;
    h.admin = h.stack.urls.admin;
    h.console = h.stack.urls.console!;
    h.jaeger = new Jaeger(h.stack.urls.jaeger!);
    h.db = new Pool({ connectionString: h.stack.env.DATABASE_URL, max: 4 });
    h.faultsApplied = async () => {
      const want = flagsVersion(readFlagsText(env.FAULTS_FILE));
      const loaded = async (s: string) =>
        ((await (await fetch(`${h.stack.urls[s as keyof Stack['urls']]}/healthz`)).json()) as { faults?: string }).faults;
      await eventually(async () => (await Promise.all(SERVICES.map(loaded))).every((v) => v === want), 5000, 10);
    };
    h.rawLogs = (service) => readFileSync(h.stack.logFile(service), 'utf8');
    h.logs = (service) =>
      h
        .rawLogs(service)
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
  });
  after(async () => {
    for (const fn of deferred) await fn().catch((err) => console.error('cleanup failed:', err));
    await h.db?.end();
    await h.stack?.stop();
  });
  return h;
}

/** Stops or starts the local RabbitMQ broker application (the Erlang node stays up). */
export function broker(action: 'stop_app' | 'start_app'): void {
  execFileSync('rabbitmqctl', ['-q', action], { stdio: 'ignore' });
  if (action === 'start_app') execFileSync('rabbitmqctl', ['-q', 'await_startup'], { stdio: 'ignore' });
}
