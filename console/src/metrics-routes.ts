import type { SpanMetricsView } from '@tracequest/contracts';
import { Router } from 'express';
import type { Config } from './config';

const HISTOGRAM = 'traces_span_metrics_duration_milliseconds_bucket';
const KINDS: Record<string, 'server' | 'consumer'> = { SPAN_KIND_SERVER: 'server', SPAN_KIND_CONSUMER: 'consumer' };
/** Exemplars kept per route. */
const EXEMPLARS = 5;

/** `a="x",b="y \"q\""` into { a: 'x', b: 'y "q"' }. */
function labelsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) out[m[1]] = m[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
  return out;
}

const LINE = /^(\w+)\{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\} (\S+)(?: # \{((?:[^}"]|"(?:[^"\\]|\\.)*")*)\} (\S+))?/;

/**
 * The span metrics' duration histograms in the Collector's OpenMetrics text, per service and
 * server or consumer span, summed over the other dimensions (method, status, route, status code).
 */
export function parseSpanMetrics(text: string): SpanMetricsView {
  const bounds = new Set<number>();
  type Route = SpanMetricsView['routes'][number] & { byBound: Map<number, number> };
  const routes = new Map<string, Route>();
  for (const line of text.split('\n')) {
    if (!line.startsWith(HISTOGRAM)) continue;
    const m = LINE.exec(line);
    if (!m || m[1] !== HISTOGRAM) continue;
    const labels = labelsOf(m[2]);
    const kind = KINDS[labels.span_kind];
    const count = Number(m[3]);
    if (!kind || !labels.service_name || !labels.span_name || !Number.isFinite(count)) continue;
    const key = `${labels.service_name}\u0000${labels.span_name}\u0000${kind}`;
    let route = routes.get(key);
    if (!route) {
      route = {
        service: labels.service_name,
        name: labels.span_name,
        kind,
        calls: 0,
        errors: 0,
        atMost: [],
        exemplars: [],
        byBound: new Map(),
      };
      routes.set(key, route);
    }
    if (labels.le === '+Inf') {
      route.calls += count;
      if (labels.status_code === 'STATUS_CODE_ERROR') route.errors += count;
    } else {
      const bound = Number(labels.le);
      if (!Number.isFinite(bound)) continue;
      bounds.add(bound);
      route.byBound.set(bound, (route.byBound.get(bound) ?? 0) + count);
    }
    if (m[4] !== undefined) {
      const exemplar = labelsOf(m[4]);
      const ms = Number(m[5]);
      if (/^[0-9a-f]{32}$/.test(exemplar.trace_id ?? '') && Number.isFinite(ms))
        route.exemplars.push({
          traceId: exemplar.trace_id,
          spanId: /^[0-9a-f]{16}$/.test(exemplar.span_id ?? '') ? exemplar.span_id : null,
          ms,
        });
    }
  }
  const boundsMs = [...bounds].sort((a, b) => a - b);
  return {
    boundsMs,
    routes: [...routes.values()].map(({ byBound, exemplars, ...route }) => ({
      ...route,
      atMost: boundsMs.map((b) => byBound.get(b) ?? 0),
      exemplars: exemplars
        .sort((a, b) => b.ms - a.ms)
        .filter((e, i, all) => all.findIndex((o) => o.traceId === e.traceId && o.spanId === e.spanId) === i)
        .slice(0, EXEMPLARS),
    })),
  };
}

/** GET /console/metrics: the span metrics, read from the Collector's Prometheus endpoint at each call. */
export function metricsRoutes(config: Config): Router {
  const r = Router();
  r.get('/console/metrics', async (_req, res) => {
    let text: string;
    try {
      const answer = await fetch(config.SPAN_METRICS_URL, {
        headers: { accept: 'application/openmetrics-text' },
        signal: AbortSignal.timeout(config.UPSTREAM_TIMEOUT_MS),
      });
      if (!answer.ok) throw new Error(`answered ${answer.status}`);
      text = await answer.text();
    } catch (err) {
      return void res.status(502).json({
        error: {
          code: 'upstream_unavailable',
          message: `cannot read the span metrics at ${config.SPAN_METRICS_URL} (${(err as Error).message})`,
        },
      });
    }
    res.setHeader('cache-control', 'no-store');
    res.json(parseSpanMetrics(text));
  });
  return r;
}
