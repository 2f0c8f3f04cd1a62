import { type Check, submittedTrace, Verdict } from '../context';
import { isHitBy, targetOf } from './common';

/** Trace ids the span metrics carry as exemplars: the Collector's endpoint natively, Prometheus in compose. */
async function exemplarTraceIds(ctx: Parameters<Check>[0]): Promise<Set<string>> {
  const ids = new Set<string>();
  if (ctx.settings.prometheusUrl) {
    const q = new URLSearchParams({
      query: 'traces_span_metrics_duration_milliseconds_bucket',
      start: String(ctx.startedAt / 1000),
      end: String(Date.now() / 1000),
    });
    const body = (await (await fetch(`${ctx.settings.prometheusUrl}/api/v1/query_exemplars?${q}`)).json()) as {
      data?: { exemplars: { labels: Record<string, string> }[] }[];
    };
    for (const series of body.data ?? []) for (const e of series.exemplars) if (e.labels.trace_id) ids.add(e.labels.trace_id);
    return ids;
  }
  const text = await (await fetch(ctx.settings.spanMetricsUrl, { headers: { accept: 'application/openmetrics-text' } })).text();
  for (const m of text.matchAll(/trace_id="([0-9a-f]{32})"/g)) ids.add(m[1]);
  return ids;
}

/** The answer "[service] METHOD /route": the service in front is optional. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

function parseRoute(answer: string | undefined): { service?: string; route?: string } {
  const words = answer?.trim().split(/\s+/) ?? [];
  // A method in any case reads as one; any other first word (a consumer's queue) stays as written.
  const method = (w: string) => (METHODS.has(w.toUpperCase()) ? w.toUpperCase() : w);
  if (words.length === 3) return { service: words[0].toLowerCase(), route: `${method(words[1])} ${words[2]}` };
  if (words.length === 2) return { route: `${method(words[0])} ${words[1]}` };
  return {};
}

/** From a latency spike in the RED metrics to one of its traces, through an exemplar. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const target = targetOf(ctx, 'latency');
  const { service, route } = parseRoute(input.answer);
  const ask = 'the route whose latency jumped, as the metrics name it (span_name): --answer "<METHOD> <route>"';
  if (!route) v.missing.push(input.answer ? `"${input.answer}" is not "<METHOD> <route>": ${ask}` : ask);
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  const slow = spans.find((s) => isHitBy(s, target) && s.durationMs >= target.ms * 0.9);
  v.expect(
    Boolean(slow),
    'that trace holds one of the slow requests',
    'that trace is not one of the slow requests: take the exemplar of a slow bucket',
  );
  if (route) {
    // The route must be a request the trace made, named as the metrics name it, of the service given.
    const named = spans.find((s) => s.kind === 'server' && s.name === route && (!service || s.service === service));
    const other = named ? undefined : spans.find((s) => s.name === route && (!service || s.service === service));
    if (other)
      v.missing.push(
        `${route} is ${other.service}'s ${other.kind} span, not a route: a route is a server span, "<METHOD> <route>". A consumer's time includes what it calls and waits for: follow it down`,
      );
    else if (!named)
      v.missing.push(
        `${service ? `${service} ` : ''}${route} is no server span of that trace: copy the span_name (and service_name) of the slow series from the metrics`,
      );
    else
      v.expect(
        isHitBy(named, target),
        `${route}: the route whose p95 jumped`,
        `${route} is not the route that got slow by itself: if its requests are slow, they wait for another route. Open one of its slow exemplars and follow the time down`,
      );
  }
  // An exemplar is replaced by the next request in its bucket, so a fine one may be gone already.
  if ((await exemplarTraceIds(ctx).catch(() => new Set<string>())).has(spans[0].traceId))
    v.found.push('it is still an exemplar of the span metrics');
  return v.result();
};
