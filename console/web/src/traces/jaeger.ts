// Jaeger's query API as the console server relays it (/console/jaeger/...): the same JSON Jaeger's
// own UI reads.
import { type Answer, consoleApi } from '../http';

export interface JaegerKV {
  key: string;
  type?: string;
  value: unknown;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references?: { refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }[];
  /** Microseconds since the epoch, and microseconds. */
  startTime: number;
  duration: number;
  flags?: number;
  tags: JaegerKV[];
  logs?: { timestamp: number; fields: JaegerKV[] }[];
  processID: string;
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags?: JaegerKV[] }>;
}

interface Envelope<T> {
  data: T | null;
}

export interface Search {
  service: string;
  operation?: string;
  /** Jaeger's tag filter: every key=value must match a span of the trace. */
  tags?: Record<string, string>;
  minDuration?: string;
  lookback: string;
  limit: number;
}

const data = <T>(a: Answer<Envelope<T>>): Answer<T> => ({ ...a, data: a.data?.data ?? undefined });

export const jaeger = {
  services: async () => data(await consoleApi<Envelope<string[]>>('GET', '/jaeger/services')),
  operations: async (service: string) =>
    data(await consoleApi<Envelope<string[]>>('GET', `/jaeger/services/${encodeURIComponent(service)}/operations`)),
  trace: async (id: string) => {
    const a = await consoleApi<Envelope<JaegerTrace[]>>('GET', `/jaeger/traces/${id}`);
    return { ...a, data: a.data?.data?.[0] };
  },
  search: async (s: Search) => {
    const q = new URLSearchParams({ service: s.service, lookback: s.lookback, limit: String(s.limit) });
    if (s.operation) q.set('operation', s.operation);
    if (s.tags && Object.keys(s.tags).length) q.set('tags', JSON.stringify(s.tags));
    if (s.minDuration) q.set('minDuration', s.minDuration);
    return data(await consoleApi<Envelope<JaegerTrace[]>>('GET', `/jaeger/traces?${q}`));
  },
};
