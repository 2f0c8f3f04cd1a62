// The metric names Grafana asks Prometheus for, and where each one comes from.
import { readdirSync } from 'node:fs';
import { parseYaml, readRepo, repoPath } from './stack-files';

/** Served by the Collector's Prometheus exporter (:8889); pipeline-metrics.test.ts checks it live. */
export const COLLECTOR_METRICS = [
  'traces_span_metrics_calls_total',
  'traces_span_metrics_duration_milliseconds_bucket',
  'shop_orders_placed_total',
  'shop_orders_failed_total',
  'shop_orders_fulfilled_total',
  'shop_payments_declined_total',
  'shop_messages_dead_lettered_total',
  'shop_faults_active',
  'traces_service_graph_request_total',
  'traces_service_graph_request_failed_total',
  'traces_service_graph_request_server_seconds_bucket',
];

/**
 * What the Tempo data source's service map (the nodeGraph panel, Explore's Service Graph tab)
 * asks Prometheus for: serviceMapMetrics in Grafana's public/app/plugins/datasource/tempo/
 * graphTransform.ts, grouped by the `client` and `server` labels. Tempo's metrics generator made
 * these; the Collector's service_graph connector must serve the same names and labels.
 */
export const SERVICE_MAP_METRICS = [
  'traces_service_graph_request_total',
  'traces_service_graph_request_failed_total',
  'traces_service_graph_request_server_seconds_sum',
  'traces_service_graph_request_server_seconds_bucket',
];

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'and',
  'or',
  'unless',
  'inf',
  'nan',
]);

/** Metric names in a PromQL expression: identifiers left once strings, matchers, ranges, groupings and calls are gone. */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/label_values\(\s*([^,)]+),[^)]*\)/g, '$1')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\{?[\w.]+\}?/g, ' ');
  return [...bare.matchAll(/(?<![\w.])([a-zA-Z_:][\w:]*)\b(?!\s*\()/g)].map((m) => m[1]).filter((n) => !KEYWORDS.has(n.toLowerCase()));
}

export interface Dashboard {
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: { datasource?: { type: string; uid: string }; query?: { query: string } }[] };
}
export interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { datasource?: { type: string; uid: string }; expr?: string; queryType?: string }[];
  panels?: Panel[];
}

export const DASHBOARD_DIR = repoPath('infra/grafana/dashboards');
export const dashboardFiles = () =>
  readdirSync(DASHBOARD_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
export const loadDashboard = (file: string) => JSON.parse(readRepo('infra/grafana/dashboards', file)) as Dashboard;
export const allPanels = (d: Dashboard): Panel[] => d.panels.flatMap((p) => [p, ...(p.panels ?? [])]);

/** Every PromQL expression Grafana may run: dashboard targets and variables, and the Tempo data source's trace-to-metrics queries. */
export function promqlExpressions(): string[] {
  const exprs: string[] = [];
  for (const d of dashboardFiles().map(loadDashboard)) {
    for (const p of allPanels(d))
      for (const t of p.targets ?? []) if ((t.datasource ?? p.datasource)?.uid === 'prometheus' && t.expr) exprs.push(t.expr);
    for (const v of d.templating.list) if (v.datasource?.uid === 'prometheus' && v.query?.query) exprs.push(v.query.query);
  }
  for (const ds of provisionedDatasources())
    for (const q of ds.jsonData?.tracesToMetrics?.queries ?? []) exprs.push(q.query.replace(/\$\$/g, '$'));
  return exprs;
}

export const dashboardMetrics = () => [...new Set(promqlExpressions().flatMap(metricNames))].sort();

export interface Datasource {
  name: string;
  type: string;
  uid: string;
  url: string;
  jsonData?: {
    tracesToMetrics?: { datasourceUid: string; queries?: { query: string }[] };
    [key: string]: unknown;
  };
}
export const provisionedDatasources = () =>
  parseYaml(readRepo('infra/grafana/provisioning/datasources/datasources.yaml')).datasources as Datasource[];
