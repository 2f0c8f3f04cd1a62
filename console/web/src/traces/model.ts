// A Jaeger trace turned into what the trace view teaches: the span tree, self time, the critical
// path, errors and faults, and the traceparent each hop between processes carried.
import type { JaegerKV, JaegerTrace } from './jaeger';

export type Attr = [key: string, value: unknown];

export interface SpanNode {
  id: string;
  traceId: string;
  parentId: string | null;
  name: string;
  service: string;
  kind: string;
  /** Microseconds since the epoch; duration and self time in microseconds. */
  start: number;
  end: number;
  duration: number;
  self: number;
  depth: number;
  flags: number;
  attributes: Attr[];
  resource: Attr[];
  scope: string | null;
  events: { at: number; name: string; fields: Attr[] }[];
  links: { traceId: string; spanId: string }[];
  status: 'OK' | 'ERROR' | 'UNSET';
  statusMessage: string | null;
  error: boolean;
  fault: string | null;
  critical: boolean;
  parent: SpanNode | null;
  children: SpanNode[];
}

/**
 * A step from one process to another: the caller's span, the callee's, and the header between them.
 * No caller span when the request came from outside the trace (curl with a traceparent of its own).
 */
export interface Hop {
  from: SpanNode | null;
  to: SpanNode;
  traceparent: string;
}

export interface TraceModel {
  traceId: string;
  /** Depth-first, children in start order: the waterfall's rows. */
  spans: SpanNode[];
  roots: SpanNode[];
  start: number;
  duration: number;
  services: string[];
  errors: SpanNode[];
  faults: SpanNode[];
  hops: Hop[];
}

/** Span fields Jaeger keeps as tags; shown in their own places, not among the attributes. */
const BOOKKEEPING = new Set(['span.kind', 'otel.status_code', 'otel.status_description', 'error', 'otel.scope.name', 'otel.scope.version']);

const pairs = (list: JaegerKV[] = []): Attr[] => list.map((t) => [t.key, t.value]);
const tagValue = (list: Attr[], key: string) => list.find(([k]) => k === key)?.[1];

export const traceparentOf = (traceId: string, parentSpanId: string, flags: number) =>
  `00-${traceId.padStart(32, '0')}-${parentSpanId.padStart(16, '0')}-${(flags & 1).toString(16).padStart(2, '0')}`;

/** The four fields of a W3C traceparent header. */
export function decodeTraceparent(header: string) {
  const [version, traceId, parentId, flags] = header.split('-');
  return { version, traceId, parentId, flags, sampled: (Number.parseInt(flags, 16) & 1) === 1 };
}

/** Time in a span not covered by any of its children (clipped to the span). */
function selfTime(s: SpanNode): number {
  const parts = s.children
    .map((c) => [Math.max(c.start, s.start), Math.min(c.end, s.end)] as const)
    .filter(([a, b]) => b > a)
    .sort((x, y) => x[0] - y[0]);
  let covered = 0;
  let from = 0;
  let to = -1;
  for (const [a, b] of parts) {
    if (a > to) {
      covered += Math.max(0, to - from);
      [from, to] = [a, b];
    } else to = Math.max(to, b);
  }
  covered += Math.max(0, to - from);
  return s.duration - covered;
}

/**
 * The critical path: from a span's end, walk back to the child that finished last before that
 * point, then from its start to the child before it, and so on. What is left is what the caller
 * waited for; shorten anything else and the trace is no faster.
 */
/**
 * Start times are whole milliseconds (the JavaScript SDK reads them from the wall clock; durations are
 * exact): a step can seem to end up to a millisecond after the next one starts. Within that, it
 * still came before it.
 */
const CLOCK_SLACK_US = 1000;

function markCritical(s: SpanNode, until: number): void {
  s.critical = true;
  let cursor = Math.min(s.end, until);
  // A child that outlives its parent (work after the answer) counts until the parent's end only.
  const endOf = (c: SpanNode) => Math.min(c.end, s.end);
  const pending = s.children.filter((c) => c.start < s.end);
  for (;;) {
    const next = pending
      .filter((c) => c.start < cursor && endOf(c) <= cursor + CLOCK_SLACK_US)
      .reduce<SpanNode | undefined>((best, c) => (!best || endOf(c) > endOf(best) ? c : best), undefined);
    if (!next) return;
    markCritical(next, cursor);
    cursor = next.start;
    pending.splice(pending.indexOf(next), 1);
  }
}

export function buildTrace(t: JaegerTrace): TraceModel {
  const byId = new Map<string, SpanNode>();
  for (const j of t.spans) {
    const tags = pairs(j.tags);
    const events = (j.logs ?? []).map((l) => {
      const fields = pairs(l.fields);
      return { at: l.timestamp, name: String(tagValue(fields, 'event') ?? ''), fields: fields.filter(([k]) => k !== 'event') };
    });
    const parent = j.references?.find((r) => r.refType === 'CHILD_OF' && r.traceID === j.traceID);
    const statusCode = String(tagValue(tags, 'otel.status_code') ?? 'UNSET');
    const injected = events.find((e) => e.name === 'fault.injected');
    const process = t.processes[j.processID];
    byId.set(j.spanID, {
      id: j.spanID,
      traceId: j.traceID,
      parentId: parent?.spanID ?? null,
      name: j.operationName,
      service: process?.serviceName ?? '?',
      kind: String(tagValue(tags, 'span.kind') ?? 'internal'),
      start: j.startTime,
      end: j.startTime + j.duration,
      duration: j.duration,
      self: j.duration,
      depth: 0,
      flags: j.flags ?? 1,
      attributes: tags.filter(([k]) => !BOOKKEEPING.has(k)).sort(([a], [b]) => a.localeCompare(b)),
      resource: pairs(process?.tags),
      scope: (tagValue(tags, 'otel.scope.name') as string | undefined) ?? null,
      events,
      links: (j.references ?? []).filter((r) => r !== parent).map((r) => ({ traceId: r.traceID, spanId: r.spanID })),
      status: statusCode === 'ERROR' ? 'ERROR' : statusCode === 'OK' ? 'OK' : 'UNSET',
      statusMessage: (tagValue(tags, 'otel.status_description') as string | undefined) ?? null,
      error: statusCode === 'ERROR' || tagValue(tags, 'error') === true,
      fault: String(tagValue(tags, 'fault.name') ?? tagValue(injected?.fields ?? [], 'fault.name') ?? '') || (injected ? 'fault' : null),
      critical: false,
      parent: null,
      children: [],
    });
  }
  const roots: SpanNode[] = [];
  for (const s of byId.values()) {
    s.parent = (s.parentId && byId.get(s.parentId)) || null;
    if (s.parent) s.parent.children.push(s);
    else roots.push(s);
  }
  const byStart = (a: SpanNode, b: SpanNode) => a.start - b.start;
  roots.sort(byStart);
  const spans: SpanNode[] = [];
  const visit = (s: SpanNode, depth: number) => {
    s.depth = depth;
    s.children.sort(byStart);
    s.self = selfTime(s);
    spans.push(s);
    for (const c of s.children) visit(c, depth + 1);
  };
  for (const r of roots) visit(r, 0);
  for (const r of roots) markCritical(r, r.end);
  const start = Math.min(...spans.map((s) => s.start));
  const end = Math.max(...spans.map((s) => s.end));
  // Hops between the trace's processes, and into it from a caller outside it (its span is not here).
  const fromOutside = (s: SpanNode) => !s.parent && s.parentId !== null && (s.kind === 'server' || s.kind === 'consumer');
  const hops = spans
    .filter((s) => (s.parent && s.parent.service !== s.service) || fromOutside(s))
    .map((s) => ({ from: s.parent, to: s, traceparent: traceparentOf(s.traceId, s.parentId!, s.flags) }));
  return {
    traceId: t.traceID.padStart(32, '0'),
    spans,
    roots,
    start,
    duration: end - start,
    services: [...new Set(spans.map((s) => s.service))],
    errors: spans.filter((s) => s.error),
    faults: spans.filter((s) => s.fault),
    hops,
  };
}
