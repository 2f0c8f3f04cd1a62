import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { QuestContext } from '../context';

/** The fields of a service's log line a check reads (pino JSON natively; Loki's metadata in compose). */
export interface LogLine {
  trace_id?: string;
  trace_flags?: string;
  path?: string;
  duration_ms?: number;
  /** The card network's reference for a failed charge (payment's log only). */
  provider_ref?: string;
  /** ms since the epoch. */
  time?: number;
}

/** A service's log lines of one trace, since the quest started: from its log file natively, from Loki in compose. */
export async function logLinesOf(ctx: QuestContext, service: string, traceId: string): Promise<LogLine[]> {
  if (ctx.settings.lokiUrl) {
    // In Loki the line's fields (path, duration_ms, trace_id) are structured metadata, returned
    // with each stream's labels.
    const q = new URLSearchParams({
      query: `{service_name="${service}"} | trace_id="${traceId}"`,
      start: String(ctx.startedAt * 1e6),
      limit: '100',
    });
    const body = (await (await fetch(`${ctx.settings.lokiUrl}/loki/api/v1/query_range?${q}`)).json()) as {
      data?: { result: { stream: Record<string, string> }[] };
    };
    return (body.data?.result ?? []).map(({ stream }) => ({
      trace_id: stream.trace_id,
      trace_flags: stream.trace_flags,
      path: stream.path,
      duration_ms: Number(stream.duration_ms),
      provider_ref: stream.provider_ref,
    }));
  }
  const file = path.join(ctx.settings.logsDir, `${service}.log`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.startsWith('{') && l.includes(traceId))
    .map((l) => JSON.parse(l) as LogLine)
    .filter((l) => l.trace_id === traceId && (l.time === undefined || l.time >= ctx.startedAt - 1000));
}
