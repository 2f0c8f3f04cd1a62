// A small client for Jaeger's query API (the same API its UI uses), returning spans in a flat,
// easy-to-read shape: the quest checks and the tests read traces through it.
export interface FlatSpan {
  traceId: string;
  spanId: string;
  parentId?: string;
  links: { traceId: string; spanId: string }[];
  service: string;
  name: string;
  kind: string;
  error: boolean;
  /** Start, in milliseconds since the epoch. */
  startMs: number;
  durationMs: number;
  tags: Record<string, unknown>;
  /** Each event with its time, in milliseconds since the epoch. */
  events: { name: string; atMs: number; fields: Record<string, unknown> }[];
}

interface JaegerTrace {
  traceID: string;
  spans: {
    traceID: string;
    spanID: string;
    operationName: string;
    references?: { refType: string; traceID: string; spanID: string }[];
    startTime: number;
    duration: number;
    processID: string;
    tags: { key: string; value: unknown }[];
    logs?: { timestamp: number; fields: { key: string; value: unknown }[] }[];
  }[];
  processes: Record<string, { serviceName: string }>;
}

const kv = (list: { key: string; value: unknown }[] = []) => Object.fromEntries(list.map((t) => [t.key, t.value]));

export function flatten(t: JaegerTrace): FlatSpan[] {
  return t.spans.map((s) => {
    const tags = kv(s.tags);
    const refs = s.references ?? [];
    const parent = refs.find((r) => r.refType === 'CHILD_OF' && r.traceID === s.traceID);
    return {
      traceId: s.traceID,
      spanId: s.spanID,
      parentId: parent?.spanID,
      links: refs.filter((r) => r !== parent).map((r) => ({ traceId: r.traceID, spanId: r.spanID })),
      service: t.processes[s.processID]?.serviceName,
      name: s.operationName,
      kind: String(tags['span.kind'] ?? 'internal'),
      error: tags.error === true || tags['otel.status_code'] === 'ERROR',
      startMs: s.startTime / 1000,
      durationMs: s.duration / 1000,
      tags,
      events: (s.logs ?? []).map((l) => {
        const fields = kv(l.fields);
        return { name: String(fields.event ?? ''), atMs: l.timestamp / 1000, fields };
      }),
    };
  });
}

/** One root (a span whose parent is not in the trace, e.g. the load runner's), and every other parent present. */
export function connected(spans: FlatSpan[]): boolean {
  const ids = new Set(spans.map((s) => s.spanId));
  return spans.filter((s) => !s.parentId || !ids.has(s.parentId)).length === 1;
}

export class Jaeger {
  constructor(readonly url: string) {}

  async trace(traceId: string): Promise<FlatSpan[] | undefined> {
    const res = await fetch(`${this.url}/api/traces/${traceId}`);
    if (res.status === 404) return undefined;
    const body = (await res.json()) as { data?: JaegerTrace[] };
    return body.data?.[0] ? flatten(body.data[0]) : undefined;
  }

  /**
   * Waits until the trace holds spans from all these services and is connected: one root, every
   * other span's parent present. Spans arrive in batches, per service and out of order, so a trace
   * that has a service's spans can still miss the parent they hang from.
   */
  async traceWith(
    traceId: string,
    services: string[],
    opts: { minSpans?: number; timeoutMs?: number; where?: (s: FlatSpan[]) => boolean } = {},
  ): Promise<FlatSpan[]> {
    const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
    let last: FlatSpan[] | undefined;
    while (Date.now() < deadline) {
      last = await this.trace(traceId).catch(() => undefined);
      if (
        last &&
        services.every((s) => last!.some((x) => x.service === s)) &&
        connected(last) &&
        last.length >= (opts.minSpans ?? 0) &&
        (!opts.where || opts.where(last))
      ) {
        // One more beat so late spans of the same batch land too.
        await new Promise((r) => setTimeout(r, 500));
        return (await this.trace(traceId)) ?? last;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    const seen = [...new Set((last ?? []).map((s) => s.service))].join(', ');
    throw new Error(`trace ${traceId} did not get spans of ${services.join(', ')} in time (has: ${seen || 'nothing'})`);
  }

  async services(): Promise<string[]> {
    const body = (await (await fetch(`${this.url}/api/services`)).json()) as { data: string[] | null };
    return body.data ?? [];
  }

  /** Trace ids of every trace that has a span of this service, in the last hour. */
  async traceIds(service: string): Promise<string[]> {
    const res = await fetch(`${this.url}/api/traces?service=${encodeURIComponent(service)}&lookback=1h&limit=5000`);
    const body = (await res.json()) as { data: JaegerTrace[] | null };
    return (body.data ?? []).map((t) => t.traceID);
  }

  /** Traces with a span of this service (and operation, and tags) that started since `sinceMs`. */
  async search(q: {
    service: string;
    operation?: string;
    tags?: Record<string, string>;
    sinceMs?: number;
    limit?: number;
  }): Promise<FlatSpan[][]> {
    const params = new URLSearchParams({ service: q.service, limit: String(q.limit ?? 200) });
    if (q.operation) params.set('operation', q.operation);
    if (q.tags) params.set('tags', JSON.stringify(q.tags));
    if (q.sinceMs) params.set('start', String(Math.floor(q.sinceMs * 1000)));
    else params.set('lookback', '1h');
    const res = await fetch(`${this.url}/api/traces?${params}`);
    if (!res.ok) throw new Error(`Jaeger answered ${res.status} to a search`);
    const body = (await res.json()) as { data: JaegerTrace[] | null };
    return (body.data ?? []).map(flatten);
  }

  async traces(service: string): Promise<FlatSpan[][]> {
    const res = await fetch(`${this.url}/api/traces?service=${encodeURIComponent(service)}&lookback=1h&limit=5000`);
    const body = (await res.json()) as { data: JaegerTrace[] | null };
    return (body.data ?? []).map(flatten);
  }
}

/**
 * The root of a trace: a span without a parent, else the earliest span whose parent is not in it (a
 * caller's span, say). A trace still arriving can hold a later span whose parent has not come in yet.
 */
export const rootOf = (spans: FlatSpan[]): FlatSpan | undefined => {
  const ids = new Set(spans.map((s) => s.spanId));
  const orphans = spans.filter((s) => !s.parentId || !ids.has(s.parentId));
  return orphans.find((s) => !s.parentId) ?? orphans.sort((a, b) => a.startMs - b.startMs)[0];
};

/** A span's own time: its duration minus the time covered by its children (overlaps counted once). */
export function selfTimeMs(span: FlatSpan, spans: FlatSpan[]): number {
  const children = spans
    .filter((c) => c.parentId === span.spanId)
    .map((c) => [Math.max(c.startMs, span.startMs), Math.min(c.startMs + c.durationMs, span.startMs + span.durationMs)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let end = -Infinity;
  for (const [a, b] of children) {
    if (b <= end) continue;
    covered += b - Math.max(a, end);
    end = b;
  }
  return span.durationMs - covered;
}

/** The trace id in a W3C Trace Context Level 2 `traceresponse` header. */
export function traceIdOf(res: { headers: Headers }): string {
  const header = res.headers.get('traceresponse');
  const m = header && /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(header);
  if (!m) throw new Error(`no valid traceresponse header (got ${header})`);
  return m[1];
}
