// W3C trace context made by k6: every request starts its own trace, so a slow or failed request
// can be looked up in Jaeger by the trace id k6 chose (k6/experimental/tracing is gone from k6 v2).
import { check } from 'k6';
import { config } from './config.js';

const HEX = '0123456789abcdef';

/** n random lowercase hex digits, never all zeros (an all-zero id is invalid in W3C trace context). */
export function randomHex(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[Math.floor(Math.random() * 16)];
  return /^0+$/.test(s) ? randomHex(n) : s;
}

export function traceContext() {
  const traceId = randomHex(32);
  const spanId = randomHex(16);
  const sampled = Math.random() < config.sampled;
  return { traceId, spanId, sampled, traceparent: `00-${traceId}-${spanId}-${sampled ? '01' : '00'}` };
}

export const traceUrl = (traceId) => `${config.jaegerUrl}/trace/${traceId}`;

/**
 * Request params for one request of a task: a fresh traceparent, the synthetic_request baggage
 * (the services copy it onto every span) and the k6 tags `task` and `trace_id`.
 */
export function traced(task, params = {}) {
  const ctx = traceContext();
  return {
    ctx,
    params: {
      ...params,
      headers: { ...params.headers, traceparent: ctx.traceparent, baggage: 'synthetic_request=true' },
      tags: { ...params.tags, task, trace_id: ctx.traceId },
    },
  };
}

/** Runs the checks; when any fails, prints the Jaeger link of the request's trace. */
export function checkTraced(res, task, ctx, checks) {
  const failed = Object.entries(checks)
    .filter(
      ([name, fn]) =>
        !check(
          res,
          {
            [name]: (r) => {
              try {
                return fn(r);
              } catch (_) {
                return false;
              }
            },
          },
          { task },
        ),
    )
    .map(([name]) => name);
  if (config.logTraces) console.log(`trace task=${task} status=${res.status} trace_id=${ctx.traceId} span_id=${ctx.spanId}`);
  if (failed.length) {
    const why = res.error ? `${res.error}` : `HTTP ${res.status}`;
    const where = ctx.sampled ? traceUrl(ctx.traceId) : `trace ${ctx.traceId} (not sampled: not in Jaeger)`;
    console.warn(`${task} failed (${failed.join('; ')}; ${why}): ${where}`);
  }
  return failed.length === 0;
}
