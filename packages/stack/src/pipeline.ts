// The telemetry pipeline of the native run: Jaeger, and the Collector that sends to it, from the
// same config files as compose; only the addresses differ.
import path from 'node:path';
import { REPO_ROOT } from './env';
import { type Managed, startProcess, stopProcess, waitReady } from './process';

/** The addresses the native run uses for the pipeline: loopback, with Jaeger's ports moved aside. */
export function pipelineEnv(env: Record<string, string>): Record<string, string> {
  return {
    ...env,
    COLLECTOR_LISTEN_HOST: '127.0.0.1',
    COLLECTOR_METRICS_PORT: env.COLLECTOR_METRICS_PORT ?? '8888',
    JAEGER_LISTEN_HOST: '127.0.0.1',
    JAEGER_HEALTH_PORT: env.JAEGER_HEALTH_PORT ?? '13134',
    JAEGER_METRICS_PORT: env.JAEGER_METRICS_PORT ?? '18888',
    JAEGER_QUERY_GRPC_PORT: env.JAEGER_QUERY_GRPC_PORT ?? '16685',
    ADMIN_PORT: env.ADMIN_PORT ?? '8079',
    CONSOLE_PORT: env.CONSOLE_PORT ?? '8090',
    // The flags file the gateway's admin API writes and every service watches.
    FAULTS_FILE: env.FAULTS_FILE ?? path.join(REPO_ROOT, '.run', 'faults.json'),
    // The Collector's OTLP/HTTP receiver lets the console's page send its spans (CORS).
    CONSOLE_ORIGIN: env.CONSOLE_ORIGIN ?? `http://127.0.0.1:${env.CONSOLE_PORT ?? 8090}`,
  };
}

export interface CollectorOptions {
  env?: Record<string, string>;
  configs?: string[];
}

/** Jaeger and the Collector as processes: started, the Collector restarted, both stopped in reverse. */
export class Pipeline {
  readonly processes: Managed[] = [];
  // The base config, then the overlay OTELCOL_EXTRA_CONFIG names (tail-sampling.yaml turns tail
  // sampling on). Compose's own overlay is for its backends only.
  private readonly defaultConfigs: string[];

  constructor(
    private readonly env: Record<string, string>,
    private readonly bin: string,
    private readonly logDir: string,
    private readonly detached: boolean,
  ) {
    const dir = path.join(REPO_ROOT, 'infra/otel-collector');
    this.defaultConfigs = [path.join(dir, 'config.yaml'), ...(env.OTELCOL_EXTRA_CONFIG ? [path.join(dir, env.OTELCOL_EXTRA_CONFIG)] : [])];
  }

  private spawn(name: string, args: string[], env = this.env): Managed {
    const p = startProcess(name, path.join(this.bin, name), args, { cwd: REPO_ROOT, env, logDir: this.logDir, detached: this.detached });
    this.processes.push(p);
    return p;
  }

  async start(): Promise<void> {
    const jaeger = this.spawn('jaeger', ['--config', path.join(REPO_ROOT, 'infra/jaeger/config.yaml')]);
    await Promise.all([waitReady(`http://127.0.0.1:${this.env.JAEGER_HEALTH_PORT}/status`, jaeger), this.startCollector()]);
  }

  async startCollector(opts: CollectorOptions = {}): Promise<void> {
    const configs = opts.configs ?? this.defaultConfigs;
    const collector = this.spawn(
      'otelcol',
      configs.flatMap((c) => ['--config', c]),
      { ...this.env, ...opts.env },
    );
    await waitReady(`http://127.0.0.1:${this.env.COLLECTOR_HEALTH_PORT}/`, collector);
  }

  /** As a learner would after changing its config: other config files, or more environment. */
  async restartCollector(opts?: CollectorOptions): Promise<void> {
    const old = this.processes.find((p) => p.name === 'otelcol');
    if (old) {
      this.processes.splice(this.processes.indexOf(old), 1);
      await stopProcess(old);
    }
    await this.startCollector(opts);
  }

  async stop(): Promise<void> {
    for (const p of this.processes.reverse()) await stopProcess(p);
  }
}
