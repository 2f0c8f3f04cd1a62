// The pipeline's configs checked by the real binaries built at the image versions: the Collector
// (base, compose overlay, tail-sampling overlay), Jaeger, and promtool for Prometheus.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SLOW_TRACE_MS } from '@tracequest/lab';
import { bytes, environmentOf, parseYaml, readRepo, repoPath, services, TOOLS_BIN } from './stack-files';

const COLLECTOR_DIR = repoPath('infra/otel-collector');
/** The Collector's environment in compose: what its overlays read. */
const COMPOSE_COLLECTOR_ENV = environmentOf('otel-collector') as Record<string, string>;

function run(bin: string, argv: string[], env: Record<string, string> = {}) {
  assert.ok(existsSync(bin), `${bin} is missing: build it with npm run tools`);
  const r = spawnSync(bin, argv, { cwd: COLLECTOR_DIR, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { ok: r.status === 0, out: r.stdout, err: `${r.stderr}${r.error ?? ''}` };
}

const otelcol = (files: string[], sub = 'validate', env: Record<string, string> = {}) =>
  run(
    path.join(TOOLS_BIN, 'otelcol'),
    [sub, ...(sub === 'print-config' ? ['--format=json'] : []), ...files.flatMap((f) => ['--config', f])],
    env,
  );

interface Pipeline {
  receivers: string[];
  processors?: string[];
  exporters: string[];
}
function pipelines(files: string[], env: Record<string, string> = {}): Record<string, Pipeline> {
  const r = otelcol(files, 'print-config', env);
  assert.ok(r.ok, r.err);
  return JSON.parse(r.out).service.pipelines;
}

describe('OpenTelemetry Collector configs', () => {
  const combos: [string, string[], Record<string, string>][] = [
    ['the base config alone (native run)', ['config.yaml'], {}],
    ['the base config and the compose overlay', ['config.yaml', 'compose.yaml'], COMPOSE_COLLECTOR_ENV],
    ['the base config and the default extra overlay', ['config.yaml', 'compose.yaml', 'none.yaml'], COMPOSE_COLLECTOR_ENV],
    ['the base config and the tail-sampling overlay (native run)', ['config.yaml', 'tail-sampling.yaml'], {}],
    [
      'the base config, the compose overlay and tail sampling',
      ['config.yaml', 'compose.yaml', 'tail-sampling.yaml'],
      COMPOSE_COLLECTOR_ENV,
    ],
  ];
  for (const [what, files, env] of combos) {
    it(`when the Collector validates ${what}, then it accepts it`, () => {
      const r = otelcol(files, 'validate', env);
      assert.ok(r.ok, r.err);
    });
  }

  it('when compose sizes the memory_limiter, then the process fits its container and GOMEMLIMIT sits below it', () => {
    const MiB = 1024 ** 2;
    /** The process runs about this much above limit_mib (the processor's README). */
    const OVERHEAD = 50 * MiB;
    const container = bytes(services['otel-collector'].mem_limit!);
    const limiter = (env: Record<string, string>) => {
      const r = otelcol(['config.yaml'], 'print-config', env);
      assert.ok(r.ok, r.err);
      const { limit_mib, spike_limit_mib } = JSON.parse(r.out).processors.memory_limiter;
      return { limit: Number(limit_mib) * MiB, spike: Number(spike_limit_mib) * MiB };
    };
    const compose = limiter(COMPOSE_COLLECTOR_ENV);
    assert.deepEqual(limiter({ OTELCOL_MEMORY_LIMIT_MIB: '100', OTELCOL_MEMORY_SPIKE_LIMIT_MIB: '20' }), {
      limit: 100 * MiB,
      spike: 20 * MiB,
    });
    assert.equal(compose.limit, Number(COMPOSE_COLLECTOR_ENV.OTELCOL_MEMORY_LIMIT_MIB) * MiB, 'the config reads the compose value');
    assert.deepEqual(limiter({}), compose, 'the native defaults are the compose values');
    assert.ok(compose.limit + OVERHEAD <= container, `${compose.limit / MiB} + 50 MiB fits ${container / MiB} MiB`);
    assert.ok(compose.spike > 0 && compose.spike < compose.limit);
    const soft = bytes(COMPOSE_COLLECTOR_ENV.GOMEMLIMIT.replace(/iB$/, ''));
    assert.ok(soft > compose.limit - compose.spike && soft < container, `GOMEMLIMIT ${soft / MiB} MiB`);
  });

  it('when the compose overlay is merged, then traces also go to Tempo and logs to Loki', () => {
    const p = pipelines(['config.yaml', 'compose.yaml'], COMPOSE_COLLECTOR_ENV);
    assert.deepEqual(p.traces.exporters.sort(), ['otlp_grpc/jaeger', 'otlp_grpc/tempo', 'service_graph', 'span_metrics']);
    assert.deepEqual(p.logs.exporters, ['otlp_http/loki']);
    assert.deepEqual(p.metrics.exporters, ['prometheus']);
  });

  it('when spans go on to the trace backends, then uncompressed: they are next door, natively and in compose', () => {
    const r = otelcol(['config.yaml', 'compose.yaml'], 'print-config', COMPOSE_COLLECTOR_ENV);
    assert.ok(r.ok, r.err);
    const exporters = JSON.parse(r.out).exporters as Record<string, { compression?: string }>;
    for (const name of ['otlp_grpc/jaeger', 'otlp_grpc/tempo']) assert.equal(exporters[name].compression, 'none', name);
  });

  it('when tail sampling is on, then span metrics still see every span and only the backends are sampled', () => {
    const base = pipelines(['config.yaml']).traces;
    const cases: [string[], string[]][] = [
      [['config.yaml', 'tail-sampling.yaml'], ['otlp_grpc/jaeger']],
      [
        ['config.yaml', 'compose.yaml', 'tail-sampling.yaml'],
        ['otlp_grpc/jaeger', 'otlp_grpc/tempo'],
      ],
    ];
    for (const [files, backends] of cases) {
      const p = pipelines(files, files.includes('compose.yaml') ? COMPOSE_COLLECTOR_ENV : {});
      assert.deepEqual(p.traces.exporters, ['span_metrics', 'service_graph'], 'unsampled spans feed the RED metrics and the service graph');
      assert.deepEqual(p.traces.processors, base.processors, 'the unsampled pipeline keeps its processors');
      const sampled = p['traces/sampled'];
      assert.deepEqual(sampled.receivers, base.receivers);
      assert.deepEqual(sampled.exporters, backends);
      const withoutSampler = sampled.processors!.filter((x) => x !== 'tail_sampling');
      assert.deepEqual(withoutSampler, base.processors, 'the sampled pipeline keeps the base processors (redaction too)');
      assert.equal(
        sampled.processors!.indexOf('tail_sampling'),
        sampled.processors!.indexOf('batch') - 1,
        'sampling right before batching',
      );
    }
  });

  it('when the service graph is drawn, then the Collector draws it from every span and Tempo no longer does', () => {
    for (const [files, env] of [
      [['config.yaml'], {}],
      [['config.yaml', 'compose.yaml'], COMPOSE_COLLECTOR_ENV],
      [['config.yaml', 'tail-sampling.yaml'], {}],
      [['config.yaml', 'compose.yaml', 'tail-sampling.yaml'], COMPOSE_COLLECTOR_ENV],
    ] as [string[], Record<string, string>][]) {
      const p = pipelines(files, env);
      const feeding = Object.entries(p).filter(([, pl]) => pl.exporters.includes('service_graph'));
      assert.deepEqual(
        feeding.map(([name]) => name),
        ['traces'],
        `${files.join(' + ')}: one source, the unsampled pipeline`,
      );
      assert.ok(!p.traces.processors?.includes('tail_sampling'));
      assert.ok(p.metrics.receivers.includes('service_graph') && p.metrics.exporters.includes('prometheus'));
    }
    const connector = parseYaml(readRepo('infra/otel-collector/config.yaml')).connectors.service_graph;
    // The peer attributes Tempo's service-graphs processor had, so Postgres and RabbitMQ stay nodes.
    assert.deepEqual(connector.virtual_node_peer_attributes, ['peer.service', 'db.system.name', 'db.system', 'messaging.system']);
    const tempo = parseYaml(readRepo('infra/tempo/tempo.yaml'));
    assert.ok(!tempo.overrides.defaults.metrics_generator.processors.includes('service-graphs'), 'Tempo draws no second graph');
    assert.equal(tempo.metrics_generator.processor?.service_graphs, undefined);
  });

  it('when the tail-sampling policies are read, then errors, slow traces and 10% of the rest are kept', () => {
    const policies = parseYaml(readRepo('infra/otel-collector/tail-sampling.yaml')).processors.tail_sampling.policies;
    const byType = Object.fromEntries(policies.map((p: { type: string }) => [p.type, p]));
    assert.deepEqual(byType.status_code.status_code.status_codes, ['ERROR']);
    // Quest 11's check leaves out the good traces this policy had to keep.
    assert.equal(byType.latency.latency.threshold_ms, SLOW_TRACE_MS);
    assert.equal(byType.probabilistic.probabilistic.sampling_percentage, 10);
    assert.equal(policies.length, 3);
  });
});

describe('Jaeger and Prometheus configs', () => {
  it('when Jaeger validates its config, then it accepts it', () => {
    const r = run(path.join(TOOLS_BIN, 'jaeger'), ['validate', '--config', repoPath('infra/jaeger/config.yaml')]);
    assert.ok(r.ok, r.err);
  });

  it('when promtool checks prometheus.yml, then it is valid and scrapes the Collector and itself', () => {
    const r = spawnSync('promtool', ['check', 'config', repoPath('infra/prometheus/prometheus.yml')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const targets = parseYaml(readRepo('infra/prometheus/prometheus.yml')).scrape_configs.flatMap(
      (c: { static_configs: { targets: string[] }[] }) => c.static_configs.flatMap((s) => s.targets),
    );
    assert.deepEqual(targets.sort(), ['localhost:9090', 'otel-collector:8889']);
  });
});
