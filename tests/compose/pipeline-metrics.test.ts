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
import { COLLECTOR_METRICS, dashboardMetrics, metricNames, promqlExpressions, TEMPO_GENERATOR_METRICS } from './dashboard-metrics';

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
    const fault = await request(h.gateway, 'PUT', '/admin/faults/slow_query', {
      body: { ms: 1 },
      headers: { 'x-admin-token': h.stack.env.ADMIN_TOKEN },
    });
    assert.equal(fault.status, 200);
  });

  it('when shoppers check out, then the Collector serves every metric a dashboard queries', async () => {
    const expected = dashboardMetrics().filter((n) => !TEMPO_GENERATOR_METRICS.includes(n));
    assert.deepEqual(expected, [...COLLECTOR_METRICS].sort(), 'the dashboards use exactly the Collector metrics listed');
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
      const exprs = promqlExpressions().filter((e) => !metricNames(e).some((n) => TEMPO_GENERATOR_METRICS.includes(n)));
      assert.ok(exprs.length >= 15);
      const empty: string[] = [];
      for (const expr of exprs) {
        const r = await query(asSent(expr));
        assert.equal(r.status, 'success', `${asSent(expr)}: ${r.error}`);
        if (!r.data?.result.length) empty.push(asSent(expr));
      }
      assert.deepEqual(empty, [], 'queries without data');
    });
  });
});
