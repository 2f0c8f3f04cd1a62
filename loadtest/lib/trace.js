// W3C trace context made by k6: every request starts its own trace, so a slow or failed request
// can be looked up in Jaeger by the trace id k6 chose (k6/experimental/tracing is gone from k6 v2).
import { check } from 'k6';

const HEX = '0123456789abcdef';

/** n random lowercase hex digits, never all zeros (an all-zero id is invalid in W3C trace context). @param {number} n @returns {string} */
export function randomHex(n) {
  let s = '';
  for (let i = 0; i < n; i++) s += HEX[Math.floor(Math.random() * 16)];
  return /^0+$/.test(s) ? randomHex(n) : s;
}

/** @typedef {{ traceId: string, spanId: string, sampled: boolean, traceparent: string }} TraceContext */

/** A fresh trace, marked sampled for a share `sampled` of the calls. @param {number} sampled @returns {TraceContext} */
export function traceContext(sampled) {
  const traceId = randomHex(32);
  const spanId = randomHex(16);
  const on = Math.random() < sampled;
  return { traceId, spanId, sampled: on, traceparent: `00-${traceId}-${spanId}-${on ? '01' : '00'}` };
}

/**
 * Request params for one request of a task: a fresh traceparent, the synthetic_request baggage
 * (the services copy it onto every span) and the k6 tags `task` and `trace_id`.
 * @param {string} task @param {number} sampled @param {{ headers?: Record<string, string>, tags?: Record<string, string> }} params
 */
export function traced(task, sampled, params = {}) {
  const ctx = traceContext(sampled);
  return {
    ctx,
    params: {
      headers: { ...params.headers, traceparent: ctx.traceparent, baggage: 'synthetic_request=true' },
      tags: { ...params.tags, task, trace_id: ctx.traceId },
    },
  };
}

/**
 * Records each check's result as a k6 check (tagged with the task); when any failed, prints the
 * Jaeger link of the request's trace. Returns whether all passed.
 * @param {import('k6/http').RefinedResponse<any>} res @param {string} task @param {TraceContext} ctx
 * @param {Record<string, boolean>} results @param {{ jaegerUrl: string, logTraces: boolean }} out
 */
export function checkTraced(res, task, ctx, results, out) {
  const failed = Object.entries(results)
    .filter(([name, ok]) => !check(res, { [name]: () => ok }, { task }))
    .map(([name]) => name);
  if (out.logTraces) console.log(`trace task=${task} status=${res.status} trace_id=${ctx.traceId} span_id=${ctx.spanId}`);
  if (failed.length) {
    const why = res.error ? `${res.error}` : `HTTP ${res.status}`;
    const where = ctx.sampled ? `${out.jaegerUrl}/trace/${ctx.traceId}` : `trace ${ctx.traceId} (not sampled: not in Jaeger)`;
    console.warn(`${task} failed (${failed.join('; ')}; ${why}): ${where}`);
  }
  return failed.length === 0;
}
