import { open } from 'node:fs/promises';
import path from 'node:path';
import type { TraceLogsView } from '@tracequest/contracts';
import { SERVICES } from '@tracequest/stack';
import { Router } from 'express';
import type { Config } from './config';

const TRACE_ID = /^[0-9a-f]{32}$/i;
/** Only the end of a log file is read: a trace's lines are recent, and a file grows under load. */
const TAIL_BYTES = 8 * 1024 * 1024;
const MAX_LINES = 300;
const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
/** pino's own fields, shown as columns of their own or not at all. */
const OWN = new Set(['level', 'time', 'pid', 'hostname', 'name', 'trace_id', 'span_id', 'trace_flags', 'msg']);

/** The end of a file (all of it when small), or undefined when there is no such file. */
async function tail(file: string): Promise<string | undefined> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    const start = Math.max(0, size - TAIL_BYTES);
    const { buffer, bytesRead } = await handle.read({ buffer: Buffer.alloc(size - start), position: start });
    const text = buffer.toString('utf8', 0, bytesRead);
    // Cut mid-file: the first line is a piece of one.
    return start > 0 ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    await handle.close();
  }
}

/** Every line of the services' logs (pino JSON, one file each) that carries this trace id, oldest first. */
export async function traceLogLines(logsDir: string, traceId: string): Promise<TraceLogsView['lines']> {
  const lines: TraceLogsView['lines'] = [];
  for (const service of SERVICES) {
    const content = await tail(path.join(logsDir, `${service}.log`));
    for (const text of content?.split('\n') ?? []) {
      if (!text.includes(traceId)) continue;
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text);
      } catch {
        continue;
      }
      if (line.trace_id !== traceId) continue;
      const fields = Object.fromEntries(Object.entries(line).filter(([k]) => !OWN.has(k)));
      lines.push({
        service,
        time: typeof line.time === 'number' ? line.time : 0,
        level: LEVELS[line.level as number] ?? String(line.level ?? ''),
        msg: typeof line.msg === 'string' ? line.msg : '',
        spanId: typeof line.span_id === 'string' ? line.span_id : null,
        fields,
      });
    }
  }
  return lines.sort((a, b) => a.time - b.time).slice(-MAX_LINES);
}

/** GET /console/logs/:traceId: the trace's log lines, from the log files of the native run. */
export function logRoutes(config: Config): Router {
  const r = Router();
  r.get('/console/logs/:traceId', async (req, res) => {
    const traceId = req.params.traceId.toLowerCase();
    if (!TRACE_ID.test(traceId))
      return void res.status(400).json({ error: { code: 'bad_trace_id', message: 'a trace id is 32 hex characters' } });
    const view: TraceLogsView = config.LOGS_DIR
      ? { source: 'files', lines: await traceLogLines(config.LOGS_DIR, traceId) }
      : { source: null, lines: [] };
    res.setHeader('cache-control', 'no-store');
    res.json(view);
  });
  return r;
}
