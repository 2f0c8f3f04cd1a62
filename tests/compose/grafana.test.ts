// Grafana's provisioning: dashboards parse, use only provisioned data sources, and query only
// metrics the pipeline produces; the data sources link to each other by uids that exist.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  allPanels,
  COLLECTOR_METRICS,
  dashboardFiles,
  dashboardMetrics,
  loadDashboard,
  metricNames,
  provisionedDatasources,
} from './dashboard-metrics';
import { bytes, environmentOf, parseYaml, readRepo, services } from './stack-files';

const datasources = provisionedDatasources();
const byUid = new Map(datasources.map((d) => [d.uid, d]));

/**
 * Data source plugins the grafana/grafana 13.2 image ships. Since 13.2 several are standalone
 * plugins that Grafana also "preinstalls" (updates from grafana.com at start-up,
 * pkg/setting/setting_plugins.go); the image still bundles them, so with preinstall off they load.
 */
const BUNDLED_DATASOURCES = ['jaeger', 'loki', 'prometheus', 'tempo'];

describe('Grafana in compose', () => {
  const env = environmentOf('grafana');

  it('when it idles at about 330 MiB, then its limit leaves room above that', () => {
    assert.ok(bytes(services.grafana.mem_limit!) >= 384 * 1024 ** 2, services.grafana.mem_limit);
  });

  it('when it answers, then responses are not gzipped (the 13.2.0 gzip writer leaks memory)', () => {
    assert.equal(env.GF_SERVER_ENABLE_GZIP, 'false');
  });

  it('when it starts, then it downloads no plugin, and every provisioned data source is bundled', () => {
    assert.equal(env.GF_PLUGINS_PREINSTALL_DISABLED, 'true');
    assert.equal(env.GF_INSTALL_PLUGINS, undefined);
    assert.equal(env.GF_PLUGINS_PREINSTALL, undefined);
    assert.equal(env.GF_PLUGINS_PREINSTALL_SYNC, undefined);
    for (const ds of datasources) assert.ok(BUNDLED_DATASOURCES.includes(ds.type), `${ds.name} needs plugin ${ds.type}`);
  });
});

describe('Grafana provisioning', () => {
  it('when the data sources are provisioned, then Prometheus, Tempo, Jaeger and Loki point at their compose services', () => {
    const urls = Object.fromEntries(datasources.map((d) => [d.uid, d.url]));
    assert.deepEqual(urls, {
      prometheus: 'http://prometheus:9090',
      tempo: 'http://tempo:3200',
      jaeger: 'http://jaeger:16686',
      loki: 'http://loki:3100',
    });
    for (const host of ['prometheus', 'tempo', 'jaeger', 'loki']) assert.ok(services[host], host);
  });

  it('when a data source links to another, then the target uid is provisioned', () => {
    const refs = JSON.stringify(datasources).match(/"datasourceUid":"[^"]+"/g) ?? [];
    assert.ok(refs.length >= 7, 'exemplars, service map, traces to logs and metrics, derived fields');
    for (const ref of refs) assert.ok(byUid.has(ref.split(':')[1].replace(/"/g, '')), ref);
    const tempo = byUid.get('tempo')!.jsonData as Record<string, { datasourceUid: string }>;
    assert.equal(tempo.serviceMap.datasourceUid, 'prometheus');
    assert.equal(tempo.tracesToLogsV2.datasourceUid, 'loki');
    assert.equal(tempo.tracesToMetrics.datasourceUid, 'prometheus');
    const prom = byUid.get('prometheus')!.jsonData as { exemplarTraceIdDestinations: { name: string; datasourceUid: string }[] };
    assert.deepEqual(
      prom.exemplarTraceIdDestinations.map((e) => [e.name, e.datasourceUid]),
      [['trace_id', 'tempo']],
    );
  });

  it('when the dashboards are read, then each parses with a unique uid and is loaded from the mounted folder', () => {
    const files = dashboardFiles();
    assert.deepEqual(files, ['checkout.json', 'faults.json', 'red-metrics.json', 'service-map.json']);
    const uids = files.map((f) => loadDashboard(f).uid);
    assert.equal(new Set(uids).size, uids.length);
    const provider = parseYaml(readRepo('infra/grafana/provisioning/dashboards/dashboards.yaml')).providers[0];
    assert.ok(services.grafana.volumes?.includes(`./infra/grafana/dashboards:${provider.options.path}:ro`));
    const home = environmentOf('grafana').GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH!;
    assert.ok(
      files.some((f) => home === `${provider.options.path}/${f}`),
      home,
    );
  });

  it('when a panel queries a data source, then its uid and type are provisioned', () => {
    for (const file of dashboardFiles()) {
      const d = loadDashboard(file);
      const used = [
        ...allPanels(d).flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)]),
        ...d.templating.list.map((v) => v.datasource),
      ];
      for (const ds of used.filter((x) => x)) assert.equal(byUid.get(ds!.uid)?.type, ds!.type, `${file}: ${JSON.stringify(ds)}`);
    }
  });

  it('when a dashboard queries a metric, then the pipeline produces it', () => {
    const queried = dashboardMetrics();
    for (const name of ['traces_span_metrics_calls_total', 'traces_service_graph_request_total', 'shop_orders_placed_total'])
      assert.ok(queried.includes(name), name);
    for (const name of queried) assert.ok(COLLECTOR_METRICS.includes(name), `${name} is not produced by the pipeline`);
    for (const name of COLLECTOR_METRICS) assert.ok(queried.includes(name), `${name} is allowlisted but never queried`);
  });

  it('when PromQL is read for metric names, then functions, labels, ranges and variables are not taken for metrics', () => {
    assert.deepEqual(metricNames('histogram_quantile(0.95, sum by (le, service_name) (rate(a_bucket{x=~"$service"}[$__rate_interval])))'), [
      'a_bucket',
    ]);
    assert.deepEqual(metricNames('sum(increase(b_total[$__range])) or vector(0)'), ['b_total']);
    assert.deepEqual(metricNames('label_values(c_total{k="v"}, service_name)'), ['c_total']);
    assert.deepEqual(metricNames('sum(rate(d[1m])) / sum(rate(e[1m])) * 60'), ['d', 'e']);
  });

  it('when the service map panel renders, then it asks Tempo for its service graph', () => {
    const map = allPanels(loadDashboard('service-map.json')).find((p) => p.type === 'nodeGraph');
    assert.equal(map?.targets?.[0].queryType, 'serviceMap');
    assert.equal(map?.datasource?.uid, 'tempo');
  });
});
