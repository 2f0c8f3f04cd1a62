// One request of a task, as vegeta sends it, and the task's checks on its answer: the same
// reading of scenarios.json as loadtest/lib/plan.js and lib/trace.js make for k6.
import { randomBytes } from 'node:crypto';
import type { Condition, Definition } from './definition';
import { fill } from './plan';

/** What prepare() found: one token for the run and the catalog, low-stock products kept out of checkouts. */
export interface SetupData {
  token: string;
  productIds: string[];
  plentifulIds: string[];
}

export type Draws = { anyProduct: string; plentifulProduct: string; demoUser: unknown; card: unknown };

export interface TraceContext {
  traceId: string;
  spanId: string;
  sampled: boolean;
  traceparent: string;
}

const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];

export function draw(def: Definition, data: SetupData): Draws {
  return {
    anyProduct: pick(data.productIds),
    plentifulProduct: pick(data.plentifulIds),
    demoUser: pick(def.data.demoUsers),
    card: def.data.card,
  };
}

export function requestOf(def: Definition, task: string, draws: Draws) {
  const t = def.tasks[task];
  return {
    method: t.method,
    path: fill(t.path, draws),
    body: t.body === undefined ? undefined : fill(t.body, draws),
    auth: t.auth === true,
  };
}

/** Random ids, never all zeros (invalid in W3C trace context); sampled for a share `sampled` of calls. */
export function traceContext(sampled: number): TraceContext {
  const hex = (bytes: number): string => {
    const s = randomBytes(bytes).toString('hex');
    return /^0+$/.test(s) ? hex(bytes) : s;
  };
  const traceId = hex(16);
  const spanId = hex(8);
  const on = Math.random() < sampled;
  return { traceId, spanId, sampled: on, traceparent: `00-${traceId}-${spanId}-${on ? '01' : '00'}` };
}

/** A target in vegeta's JSON format (header values are lists, the body is base64). */
export function vegetaTarget(url: string, req: ReturnType<typeof requestOf>, token: string, ctx: TraceContext): string {
  const header: Record<string, string[]> = { traceparent: [ctx.traceparent], baggage: ['synthetic_request=true'] };
  if (req.body !== undefined) header['content-type'] = ['application/json'];
  if (req.auth) header.authorization = [`Bearer ${token}`];
  const body = req.body === undefined ? undefined : Buffer.from(JSON.stringify(req.body)).toString('base64');
  return JSON.stringify({ method: req.method, url, header, ...(body ? { body } : {}) });
}

export function checkNames(def: Definition, task: string): string[] {
  const t = def.tasks[task];
  return [`${task}: ${t.status}`, ...Object.keys(t.checks).map((c) => `${task}: ${c}`)];
}

export interface Answer {
  status: number;
  /** Throws when the body is not JSON: the checks that need it fail. */
  json: () => unknown;
  header: (name: string) => string;
}

/** Each check of a task on an answer, by name, the expected status first. */
export function runChecks(def: Definition, task: string, draws: Draws, res: Answer): Record<string, boolean> {
  const t = def.tasks[task];
  const holds = (c: Condition): boolean => {
    if ('header' in c) return res.header(c.header).includes(c.includes);
    let v: unknown = res.json();
    for (const part of c.json.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    if ('equals' in c) return v === fill(c.equals, draws);
    if (c.is === 'array') return Array.isArray(v);
    if (c.is === 'non-empty array') return Array.isArray(v) && v.length > 0;
    return typeof v === 'string' && v.length > 0;
  };
  const out: Record<string, boolean> = { [`${task}: ${t.status}`]: res.status === t.status };
  for (const [name, conditions] of Object.entries(t.checks)) {
    let ok = false;
    try {
      ok = conditions.every(holds);
    } catch {
      /* not JSON: the check fails */
    }
    out[`${task}: ${name}`] = ok;
  }
  return out;
}
