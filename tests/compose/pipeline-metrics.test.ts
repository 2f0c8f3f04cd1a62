// The metrics behind the dashboards, produced for real: the native stack (same Collector config)
// takes a few checkouts, a declined card and a dead-lettered message; then the Collector's
// Prometheus endpoint must serve every metric a dashboard queries, and a real Prometheus scraping
// it must answer every dashboard query with data. Run under `flock /tmp/tracequest-stack.lock`.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { eventually, type JsonResponse, request } from '@tracequest/testkit';
import { useStack } from '../src/harness';
import { CARDS, Shop } from '../src/shop';
import { COLLECTOR_METRICS, dashboardMetrics, promqlExpressions, SERVICE_MAP_METRICS } from './dashboard-metrics';

const h = useStack();

/** Metric names in a Prometheus text exposition. */
async function served(url: string): Promise<Set<string>> {
  const text = await (await fetch(url)).text();
  return new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(/[{\s]/)[0]),
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A dashboard expression as Grafana would send it, its variables filled in. */
const asSent = (expr: string) =>
  expr
    .replace(/^label_values\(\s*([^,]+),\s*(\w+)\)$/, 'count by ($2) ($1)')
    .replace(/\$__rate_interval/g, '1m')
    .replace(/\$__range/g, '5m')
    .replace(/\$service/g, '.*')
    .replace(/\$__tags/g, 'service_name="gateway"')
    .replace(/\$\{__span\.name\}/g, 'POST /api/orders');

describe('the metrics behind the dashboards', () => {
  before(async () => {
    const shop = await new Shop(h.gateway).signUp();
    const product = await shop.plentiful();
    const items = [{ product_id: product.id, quantity: 1 }];
    const placed: JsonResponse[] = [];
    for (let i = 0; i < 3; i++) placed.push(await shop.checkout(items));
    for (const res of placed) assert.equal(res.status, 201);
    await eventually(async () => (await shop.order(placed[0].body.id)).body.status === 'fulfilled', 15_000);
    const declined = await shop.checkout(items, CARDS.declined);
    assert.ok(declined.status >= 400, `a declined card fails the checkout (${declined.status})`);
    // A worker that cannot reach the order service gives up at once: the next order is dead-lettered.
    await h.stack.stopService('worker');
    await h.stack.startService('worker', { ORDER_URL: 'http://127.0.0.1:9', WORKER_MAX_ATTEMPTS: '1' });
    assert.equal((await shop.checkout(items)).status, 201);
    // A fault on, so the faults dashboard has something to show.
    const fault = await request(h.admin, 'PUT', '/admin/faults/slow_query', {
      body: { ms: 1 },
      headers: { 'x-admin-token': h.stack.env.ADMIN_TOKEN },
    });
    assert.equal(fault.status, 200);
  });

  it('when shoppers check out, then the Collector serves every metric a dashboard or the service map queries', async () => {
    assert.deepEqual(dashboardMetrics(), [...COLLECTOR_METRICS].sort(), 'the dashboards use exactly the Collector metrics listed');
    const expected = [...new Set([...COLLECTOR_METRICS, ...SERVICE_MAP_METRICS])];
    const url = h.stack.urls.collectorMetrics!;
    const names = await eventually(
      async () => {
        const now = await served(url);
        return expected.every((n) => now.has(n)) && now;
      },
      60_000,
      1000,
    ).catch(() => served(url));
    for (const name of expected) assert.ok(names.has(name), `${name} is served at ${url}`);
  });

  describe('with a real Prometheus scraping the Collector', () => {
    let prometheus: ChildProcess | undefined;
    let api = '';
    const dir = mkdtempSync(path.join(tmpdir(), 'tracequest-prometheus-'));
    const query = async (q: string) =>
      (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as {
        status: string;
        error?: string;
        data?: { result: unknown[] };
      };

    before(async () => {
      const port = await freePort();
      api = `http://127.0.0.1:${port}`;
      const target = new URL(h.stack.urls.collectorMetrics!).host;
      writeFileSync(
        path.join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: otel-collector\n    honor_labels: true\n    static_configs: [{ targets: ['${target}'] }]\n`,
      );
      prometheus = spawn(
        'prometheus',
        [
          `--config.file=${dir}/prometheus.yml`,
          `--storage.tsdb.path=${dir}/data`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--enable-feature=exemplar-storage',
        ],
        { stdio: 'ignore' },
      );
      // rate() needs two samples inside its window.
      await eventually(
        async () => Number((await query('count_over_time(traces_span_metrics_calls_total[1m])')).data?.result.length) > 0,
        60_000,
        500,
      );
      await new Promise((r) => setTimeout(r, 3000));
    });
    after(() => {
      prometheus?.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    it('when every dashboard query runs, then each one is valid PromQL and returns series', async () => {
      const exprs = promqlExpressions();
      assert.ok(exprs.length >= 18);
      const empty: string[] = [];
      for (const expr of exprs) {
        const r = await query(asSent(expr));
        assert.equal(r.status, 'success', `${asSent(expr)}: ${r.error}`);
        if (!r.data?.result.length) empty.push(asSent(expr));
      }
      assert.deepEqual(empty, [], 'queries without data');
    });

    it('when Grafana draws the service map, then its edges join the services, Postgres and the queue consumer', async () => {
      const edges = async (metric: string) => {
        const r = await query(`sum by (client, server, connection_type) (increase(${metric}[5m]))`);
        assert.equal(r.status, 'success', r.error);
        return ((r.data?.result ?? []) as { metric: Record<string, string> }[]).map(({ metric: m }) => m);
      };
      for (const metric of SERVICE_MAP_METRICS.filter((m) => !m.endsWith('_bucket'))) {
        const series = await edges(metric);
        assert.ok(series.length > 0, `${metric} has series`);
        for (const s of series) assert.ok(s.client && s.server, `${metric}: every series has client and server: ${JSON.stringify(s)}`);
      }
      const all = await edges('traces_service_graph_request_total');
      const has = (client: string, server: string, type?: string) =>
        assert.ok(
          all.some((e) => e.client === client && e.server === server && (type === undefined || e.connection_type === type)),
          `${client} -> ${server} ${type ?? ''} in ${JSON.stringify(all)}`,
        );
      has('gateway', 'auth');
      has('gateway', 'order');
      has('order', 'inventory');
      has('order', 'payment');
      // Over RabbitMQ: the publish and its consumer form the edge.
      has('order', 'worker', 'messaging_system');
      // Postgres sends no spans: the calls to it name the node, as Tempo's peer attributes did.
      for (const service of ['auth', 'inventory', 'order', 'payment']) has(service, 'postgresql', 'database');
    });
  });
});
