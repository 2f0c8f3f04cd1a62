import { open } from 'node:fs/promises';
import path from 'node:path';
import type { TraceLogsView } from '@tracequest/contracts';
import { SERVICES } from '@tracequest/stack';
import { Router } from 'express';
import { z } from 'zod';
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

type Line = TraceLogsView['lines'][number];

/** The lines of these services' logs (pino JSON, one file each) that pass both tests, oldest first. */
async function readLines(
  logsDir: string,
  services: readonly string[],
  text: (raw: string) => boolean,
  keep: (line: Line) => boolean,
): Promise<Line[]> {
  const lines: Line[] = [];
  for (const service of services) {
    const content = await tail(path.join(logsDir, `${service}.log`));
    for (const raw of content?.split('\n') ?? []) {
      if (!raw.startsWith('{') || !text(raw)) continue;
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(raw);
      } catch {
        continue;
      }
      const line: Line = {
        service,
        time: typeof parsed.time === 'number' ? parsed.time : 0,
        level: LEVELS[parsed.level as number] ?? String(parsed.level ?? ''),
        msg: typeof parsed.msg === 'string' ? parsed.msg : '',
        traceId: typeof parsed.trace_id === 'string' ? parsed.trace_id : null,
        spanId: typeof parsed.span_id === 'string' ? parsed.span_id : null,
        fields: Object.fromEntries(Object.entries(parsed).filter(([k]) => !OWN.has(k))),
      };
      if (keep(line)) lines.push(line);
    }
  }
  return lines.sort((a, b) => a.time - b.time);
}

/** Every line of the services' logs that carries this trace id, oldest first. */
export async function traceLogLines(logsDir: string, traceId: string): Promise<Line[]> {
  const lines = await readLines(
    logsDir,
    SERVICES,
    (raw) => raw.includes(traceId),
    (l) => l.traceId === traceId,
  );
  return lines.slice(-MAX_LINES);
}

const RANK = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
const searchSchema = z.object({
  service: z.union([z.literal(''), z.enum(SERVICES)]).default(''),
  level: z.union([z.literal(''), z.enum(RANK)]).default(''),
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

const noLogs: TraceLogsView = { source: null, lines: [] };

/**
 * A test of a raw JSON line for text it contains, in any case: as the JSON has it (`"status":502`,
 * with or without a space after the colon), or as the Logs tab shows a field (`status=502`).
 */
export function containing(q: string): (raw: string) => boolean {
  const wanted = q.trim().toLowerCase();
  if (!wanted) return () => true;
  const forms = new Set([wanted, wanted.replace(/":\s+/g, '":')]);
  const field = /^([\w.@-]+)=(.+)$/.exec(wanted);
  if (field) {
    const [, key, value] = field;
    forms.add(`"${key}":${value}`);
    // A string value: its opening quote, and the text it begins with.
    forms.add(`"${key}":${JSON.stringify(value).slice(0, -1)}`);
  }
  return (raw) => {
    const line = raw.toLowerCase();
    for (const form of forms) if (line.includes(form)) return true;
    return false;
  };
}

/**
 * GET /console/logs?service=&level=&q=&limit=: the latest lines of the services' logs, newest
 * first (q: text the line contains, any case, see containing(); level: that level and above).
 * GET /console/logs/:traceId: one trace's lines, oldest first. Both from the native run's log files.
 */
export function logRoutes(config: Config): Router {
  const r = Router();
  r.get('/console/logs', async (req, res) => {
    const asked = searchSchema.safeParse(req.query);
    if (!asked.success) {
      const issue = asked.error.issues[0];
      return void res.status(400).json({ error: { code: 'bad_search', message: `${issue.path.join('.')}: ${issue.message}` } });
    }
    const { service, level, q, limit } = asked.data;
    const min = level ? RANK.indexOf(level) : -1;
    res.setHeader('cache-control', 'no-store');
    if (!config.LOGS_DIR) return void res.json(noLogs);
    const lines = await readLines(config.LOGS_DIR, service ? [service] : SERVICES, containing(q), (l) => RANK.indexOf(l.level) >= min);
    res.json({ source: 'files', lines: lines.slice(-limit).reverse() } satisfies TraceLogsView);
  });
  r.get('/console/logs/:traceId', async (req, res) => {
    const traceId = req.params.traceId.toLowerCase();
    if (!TRACE_ID.test(traceId))
      return void res.status(400).json({ error: { code: 'bad_trace_id', message: 'a trace id is 32 hex characters' } });
    res.setHeader('cache-control', 'no-store');
    res.json(
      config.LOGS_DIR ? ({ source: 'files', lines: await traceLogLines(config.LOGS_DIR, traceId) } satisfies TraceLogsView) : noLogs,
    );
  });
  return r;
}
