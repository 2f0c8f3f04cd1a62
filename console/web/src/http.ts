import type { ErrorBody } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { createStore } from './store';

/** One request the page made to the shop, as the Requests list shows it. */
export interface RequestRecord {
  seq: number;
  at: Date;
  method: string;
  path: string;
  status: number | null;
  ms: number;
  traceId: string | null;
}

export interface Answer<T> {
  ok: boolean;
  status: number;
  data?: T;
  error?: ErrorBody['error'];
  traceId: string | null;
}

const KEPT = 40;
let seq = 0;
export const requestLog = createStore<RequestRecord[]>([]);

/** The trace id in a W3C traceresponse header (00-<trace id>-<span id>-<flags>). */
export const traceIdOf = (header: string | null) => /^00-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(header ?? '')?.[1] ?? null;

async function send<T>(
  method: string,
  path: string,
  body?: unknown,
  token?: string | null,
  baggage?: string,
): Promise<Answer<T> & { ms: number }> {
  const started = performance.now();
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  if (baggage) headers.baggage = baggage;
  // fetch runs before the first await, inside whatever span is active (a click's).
  const pending = fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  try {
    const res = await pending;
    const text = await res.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    const error = res.ok ? undefined : ((parsed as ErrorBody | undefined)?.error ?? { code: String(res.status), message: res.statusText });
    const traceId = traceIdOf(res.headers.get('traceresponse')) ?? error?.trace_id ?? null;
    return { ok: res.ok, status: res.status, data: res.ok ? (parsed as T) : undefined, error, traceId, ms: performance.now() - started };
  } catch (err) {
    return {
      ok: false,
      status: 0,
      error: { code: 'network', message: (err as Error).message },
      traceId: null,
      ms: performance.now() - started,
    };
  }
}

/** A call to the shop's API (/api, relayed to the gateway); recorded with its trace id. */
export async function shop<T>(
  method: string,
  path: string,
  opts: { body?: unknown; token?: string | null; baggage?: string } = {},
): Promise<Answer<T>> {
  const answer = await send<T>(method, path, opts.body, opts.token, opts.baggage);
  const record = { seq: ++seq, at: new Date(), method, path, status: answer.status || null, ms: answer.ms, traceId: answer.traceId };
  requestLog.set((list) => [record, ...list].slice(0, KEPT));
  return answer;
}

/** A call to the console's own endpoints (/console: Jaeger, faults, quests); not shop traffic, not recorded. */
export function consoleApi<T>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
  return send<T>(method, `/console${path}`, body);
}

/**
 * An error, said for the learner: the shop's with its status and code (they are what its traces
 * show: 402 payment_declined); the console's own refusals (4xx) in their own words; no answer at
 * all as such.
 */
export function describeError(a: Answer<unknown>, from: 'console' | 'shop' = 'console'): string {
  if (!a.error) return '';
  if (a.status === 0) return `no answer from the console (${a.error.message}): is it still running?`;
  if (from === 'console' && a.status >= 400 && a.status < 500) return a.error.message;
  return `${a.status} ${a.error.code}: ${a.error.message}`;
}

/** What a page shows for a question: what came back, or why nothing did. */
export type Outcome<T> = { data: T; problem: null } | { data: null; problem: string };

/** An answer as an outcome. */
export const outcomeOf = <T>(a: Answer<T>): Outcome<T> =>
  a.ok && a.data !== undefined ? { data: a.data, problem: null } : { data: null, problem: describeError(a) };

/**
 * The outcome of the question `key` names, asked again whenever the key changes; null until its
 * own comes. An answer to an earlier question, however late, never shows under a later one.
 */
export function useOutcome<T>(key: string, ask: () => Outcome<T> | Promise<Outcome<T>> | undefined): Outcome<T> | null {
  const [kept, setKept] = useState<{ to: string; outcome: Outcome<T> } | null>(null);
  useEffect(() => {
    let stale = false;
    void Promise.resolve(ask()).then((outcome) => {
      if (outcome && !stale) setKept({ to: key, outcome });
    });
    return () => {
      stale = true;
    };
  }, [key]);
  return kept?.to === key ? kept.outcome : null;
}
