import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type Check, submittedTrace, Verdict } from '../context';

interface Line {
  trace_id?: string;
  path?: string;
  duration_ms?: number;
}

/** payment's access-log lines of a trace: from its log file natively, from Loki in compose. */
async function paymentLines(ctx: Parameters<Check>[0], traceId: string): Promise<Line[]> {
  if (ctx.settings.lokiUrl) {
    // In Loki the line's fields (path, duration_ms, trace_id) are structured metadata, returned
    // with each stream's labels.
    const q = new URLSearchParams({
      query: `{service_name="payment"} | trace_id="${traceId}"`,
      start: String(ctx.startedAt * 1e6),
      limit: '100',
    });
    const body = (await (await fetch(`${ctx.settings.lokiUrl}/loki/api/v1/query_range?${q}`)).json()) as {
      data?: { result: { stream: Record<string, string> }[] };
    };
    return (body.data?.result ?? []).map(({ stream }) => ({
      trace_id: stream.trace_id,
      path: stream.path,
      duration_ms: Number(stream.duration_ms),
    }));
  }
  const text = readFileSync(path.join(ctx.settings.logsDir, 'payment.log'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(traceId))
    .map((l) => JSON.parse(l) as Line);
}

/** From a log line to its trace, and back from the trace to another service's log line. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  // Both things the check wants, named at once when neither is given.
  if (!input.trace && !input.answer)
    v.missing.push("the duration_ms of payment's log line for that trace's POST /charges: --answer <number>");
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  v.expect(
    spans.some((s) => s.service === 'payment' && s.name === 'payment.provider.charge' && s.error),
    'a checkout whose payment failed at the provider',
    'that trace has no failed payment.provider.charge: start from the log line of a failed checkout',
  );
  const lines = (await paymentLines(ctx, spans[0].traceId)).filter((l) => l.path === '/charges');
  if (!lines.length) return v.fail("payment wrote no log line for that trace's charge (yet)");
  // 184, also written with its unit (184ms, 184 ms).
  const given = Number(input.answer?.trim().replace(/\s*ms$/i, ''));
  v.expect(
    lines.some((l) => l.duration_ms === given),
    `payment's log line for that charge says it took ${given} ms`,
    input.answer
      ? `${input.answer} is not the duration_ms of payment's log line for that trace's POST /charges`
      : "the duration_ms of payment's log line for that trace's POST /charges: --answer <number>",
  );
  return v.result();
};
