import { Router } from 'express';
import type { Config } from './config';
import { relay } from './relay';

/** The search parameters of Jaeger's /api/traces that the Traces tab uses. */
const SEARCH = ['service', 'operation', 'tags', 'minDuration', 'maxDuration', 'limit', 'lookback', 'start', 'end'];
const TRACE_ID = /^[0-9a-f]{1,32}$/i;

/** Jaeger's query API, read only, under /console/jaeger: the same calls natively and in compose. */
export function jaegerRoutes(config: Config): Router {
  const jaeger = { name: 'Jaeger', url: config.JAEGER_QUERY_URL, timeoutMs: config.UPSTREAM_TIMEOUT_MS };
  const get = (res: Parameters<typeof relay>[0], path: string) => relay(res, jaeger, { method: 'GET', path });
  const r = Router();
  r.get('/console/jaeger/services', (_req, res) => get(res, '/api/services'));
  r.get('/console/jaeger/services/:service/operations', (req, res) =>
    get(res, `/api/services/${encodeURIComponent(req.params.service)}/operations`),
  );
  r.get('/console/jaeger/traces', (req, res) => {
    const query = new URLSearchParams();
    for (const key of SEARCH) {
      const value = req.query[key];
      if (typeof value === 'string' && value !== '') query.set(key, value);
    }
    return get(res, `/api/traces?${query}`);
  });
  r.get('/console/jaeger/traces/:id', (req, res) => {
    if (!TRACE_ID.test(req.params.id)) return void res.status(400).json({ error: { code: 'bad_trace_id', message: 'a trace id is hex' } });
    return get(res, `/api/traces/${req.params.id.toLowerCase()}`);
  });
  return r;
}
