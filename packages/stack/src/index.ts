import { existsSync } from 'node:fs';
import path from 'node:path';
import { startConsoleProcess } from './console';
import { nativeEnv, REPO_ROOT, toolsBin } from './env';
import { RUNS_DIR, recordRunIn, stopLeftovers } from './leftovers';
import { Pipeline, pipelineEnv } from './pipeline';
import { ensurePortsFree, PIPELINE_PORTS } from './ports';
import { type Managed, startProcess, startScript, stopProcess, waitReady } from './process';
import { Restarts } from './restart';

export {
  cacheDir,
  consumeAsOf,
  dotenv,
  ensureLocalSecrets,
  GENERATED_SECRETS,
  LOCAL_ENV,
  nativeEnv,
  REPO_ROOT,
  samplersOn,
  samplingOf,
  toolsBin,
  withInstallPasswords,
} from './env';
export { isAlive } from './process';
export { restartDelayMs } from './restart';
export { cleanUpOnSignals } from './signals';

/**
 * How long a service gets to stop before SIGKILL: past its 10 s wait for answers in flight
 * (service-kit's DRAIN_TIMEOUT_MS), so its last spans are still sent. Compose's stop_grace_period.
 */
const SERVICE_STOP_MS = 20_000;

/** Start order: dependencies first. Stop order is the reverse. */
export const SERVICES = ['auth', 'inventory', 'payment', 'order', 'worker', 'gateway'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const portVar = (s: ServiceName) => `${s.toUpperCase()}_PORT`;

export const startCommand = (service: ServiceName): string[] => startScript(path.join('services', service));

export interface StackOptions {
  /** Start the Collector and Jaeger (default: yes). Their binaries must be built (scripts/tools.sh). */
  observability?: boolean;
  /**
   * Start the console after the gateway (default: with observability, whose Jaeger it reads).
   * Its page must be built first: npm run build:console.
   */
  console?: boolean;
  /** Extra environment for every service, and per service. */
  env?: Record<string, string>;
  serviceEnv?: Partial<Record<ServiceName, Record<string, string>>>;
  logDir?: string;
  /** Where the runner reports what it does on its own (a crashed service restarted); console.log by default. */
  log?: (line: string) => void;
  /**
   * Each process in a process group of its own (npm start): a terminal's Ctrl-C then reaches only
   * the runner, which stops them in order, instead of every process at once.
   */
  detached?: boolean;
}

export interface Stack {
  env: Record<string, string>;
  urls: Record<ServiceName, string> & { admin: string; console?: string; jaeger?: string; collectorMetrics?: string };
  logDir: string;
  observability: boolean;
  logFile(name: string): string;
  stopService(name: ServiceName): Promise<void>;
  /** Starts a service; `dir` runs a copy of its folder instead (a quest's reference solution, say). */
  startService(name: ServiceName, extraEnv?: Record<string, string>, dir?: string): Promise<void>;
  /** Stops the six services, starts them again (all at once) and resolves with the ms until all are ready. */
  restartServices(extraEnv?: Record<string, string>): Promise<number>;
  /** The process id of each running service (the benchmark reads their memory in /proc). */
  pids(): Partial<Record<ServiceName, number>>;
  /** The process ids of the Collector and Jaeger (the benchmark reads their CPU time). */
  infraPids(): Record<string, number>;
  /** Restarts the Collector, as a learner would after changing its config: other config files, or more environment. */
  restartCollector(opts?: { env?: Record<string, string>; configs?: string[] }): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const base = pipelineEnv(nativeEnv());
  const bin = toolsBin(base);
  const observability = opts.observability ?? true;
  const detached = opts.detached ?? false;
  const missing = ['otelcol', 'jaeger'].filter((b) => !existsSync(path.join(bin, b)));
  if (observability && missing.length)
    throw new Error(`${missing.join(' and ')} not built in ${bin}: run npm run tools (or npm start, which builds them)`);
  const withConsole = opts.console ?? observability;
  const needed = [
    ...SERVICES.map(portVar),
    'ADMIN_PORT',
    ...(withConsole ? ['CONSOLE_PORT'] : []),
    ...(observability ? PIPELINE_PORTS : []),
  ];
  const log = opts.log ?? ((line: string) => console.log(line));
  // A runner that died without stopping its processes (kill -9, a crash) left them on their ports.
  const leftovers = await stopLeftovers(RUNS_DIR);
  if (leftovers.length) log(`stopped what an earlier run left running when it died: ${leftovers.join(', ')}`);
  recordRunIn(RUNS_DIR);
  await ensurePortsFree(Object.fromEntries(needed.map((name) => [name, base[name]])));
  const logDir = opts.logDir ?? path.join(REPO_ROOT, '.run', 'logs');
  const running = new Map<ServiceName, Managed>();
  const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${base[portVar(s)]}`])) as Stack['urls'];
  // The gateway's admin API listens on a port of its own.
  urls.admin = `http://127.0.0.1:${base.ADMIN_PORT ?? 8079}`;

  // Jaeger, then the Collector that sends to it: started inside the try below, so that a start
  // that fails half-way (a Collector config that does not load, say) stops what it started.
  const pipeline = new Pipeline(base, bin, logDir, detached);
  const startPipeline = async () => {
    await pipeline.start();
    urls.jaeger = `http://127.0.0.1:${base.JAEGER_UI_PORT}`;
    urls.collectorMetrics = `http://127.0.0.1:${base.COLLECTOR_PROMETHEUS_PORT}/metrics`;
  };

  const serviceEnv = (s: ServiceName, extra: Record<string, string> = {}) => ({
    ...base,
    OTEL_SERVICE_NAME: s,
    OTEL_SDK_DISABLED: observability ? (base.OTEL_SDK_DISABLED ?? 'false') : 'true',
    OTEL_RESOURCE_ATTRIBUTES: base.OTEL_RESOURCE_ATTRIBUTES ?? 'deployment.environment.name=native',
    // Natively nothing reads logs over OTLP (they are in .run/logs, with their trace ids): not sent.
    OTEL_LOGS_EXPORTER: base.OTEL_LOGS_EXPORTER ?? 'none',
    // The heap flags compose uses too (.env): without them V8 sizes its heap for the whole machine
    // and a service sits at a few hundred MB after load. A NODE_OPTIONS of your own replaces them.
    NODE_OPTIONS: base.NODE_OPTIONS ?? base.SERVICE_NODE_OPTIONS ?? '',
    ...(opts.env ?? {}),
    ...(opts.serviceEnv?.[s] ?? {}),
    ...extra,
  });

  // A service that crashes is started again: same environment, same folder.
  // From the first step of a stop on, a service that exits is not started again.
  let stopping = false;
  const restarts = new Restarts(log);
  const startService = async (s: ServiceName, extra?: Record<string, string>, dir?: string, append = false) => {
    const [cmd, ...args] = startCommand(s);
    const p = startProcess(s, cmd === 'node' ? process.execPath : cmd, args, {
      cwd: dir ?? path.join(REPO_ROOT, 'services', s),
      env: serviceEnv(s, extra),
      logDir,
      append,
      detached,
    });
    running.set(s, p);
    await waitReady(`${urls[s]}/readyz`, p);
    const ready = Date.now();
    void p.exited.then((code) => {
      if (stopping || running.get(s) !== p) return; // stopped on purpose
      running.delete(s);
      restarts.crashed(
        s,
        code,
        ready,
        () => startService(s, extra, dir, true),
        async () => {
          const half = running.get(s);
          running.delete(s);
          if (!half) return 1;
          await stopProcess(half);
          return half.exited;
        },
      );
    });
  };
  // All six at once: none needs another to start (the gateway is ready once the services it routes
  // to answer, and order and the worker reconnect to RabbitMQ by themselves).
  const startServices = async (extra?: Record<string, string>) => {
    await Promise.all(SERVICES.map((s) => startService(s, extra)));
  };
  const restartServices = async (extra?: Record<string, string>) => {
    for (const s of [...SERVICES].reverse()) await stopService(s);
    const t0 = performance.now();
    await startServices(extra);
    return Math.round(performance.now() - t0);
  };
  const stopService = async (s: ServiceName) => {
    restarts.cancel(s);
    const p = running.get(s);
    running.delete(s);
    if (p) await stopProcess(p, SERVICE_STOP_MS);
  };

  let consoleProcess: Managed | undefined;
  const startConsole = async () => {
    consoleProcess = await startConsoleProcess(base, urls, { logDir, env: opts.env, detached });
    urls.console = base.CONSOLE_ORIGIN;
  };
  const stop = async () => {
    stopping = true;
    if (consoleProcess) await stopProcess(consoleProcess);
    for (const s of [...SERVICES].reverse()) await stopService(s);
    await pipeline.stop();
  };

  try {
    if (observability) await startPipeline();
    await startServices();
    if (withConsole) await startConsole();
  } catch (err) {
    await stop();
    throw err;
  }
  const pids = () => Object.fromEntries([...running].map(([s, p]) => [s, p.child.pid!])) as Partial<Record<ServiceName, number>>;
  return {
    env: base,
    urls,
    logDir,
    observability,
    logFile: (n) => path.join(logDir, `${n}.log`),
    stopService,
    startService: (s, extra, dir) => startService(s, extra, dir),
    restartServices,
    pids,
    infraPids: () => Object.fromEntries(pipeline.processes.map((p) => [p.name, p.child.pid!])),
    restartCollector: (o) => pipeline.restartCollector(o),
    stop,
  };
}
