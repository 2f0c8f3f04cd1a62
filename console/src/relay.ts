import type { Response } from 'express';

export interface Upstream {
  /** Named in error messages: "cannot reach the gateway". */
  name: string;
  url: string;
  timeoutMs: number;
}

export interface RelayRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** Response headers passed back to the browser (content-type always is). */
  passBack?: readonly string[];
}

const fail = (res: Response, status: number, code: string, message: string) => res.status(status).json({ error: { code, message } });

/**
 * Sends one request upstream and its answer back unchanged (status, body, the headers named). It
 * adds no trace context: whatever traceparent the browser sent is the one that goes on.
 */
export async function relay(res: Response, upstream: Upstream, req: RelayRequest): Promise<void> {
  let answer: globalThis.Response;
  try {
    answer = await fetch(upstream.url + req.path, {
      method: req.method,
      headers: req.headers,
      body: req.body?.length ? new Uint8Array(req.body) : undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(upstream.timeoutMs),
    });
  } catch (err) {
    if ((err as Error).name === 'TimeoutError') return void fail(res, 504, 'upstream_timeout', `${upstream.name} did not answer in time`);
    return void fail(res, 502, 'upstream_unavailable', `cannot reach ${upstream.name} at ${upstream.url}`);
  }
  const body = Buffer.from(await answer.arrayBuffer());
  // An error in another shape (Jaeger's own {"errors": [...]}) becomes the console's one error shape.
  if (answer.status >= 400 && !isErrorBody(body))
    return void fail(
      res,
      answer.status >= 500 ? 502 : answer.status,
      'upstream_error',
      `${upstream.name} refused the request (${answer.status})`,
    );
  res.status(answer.status);
  for (const name of ['content-type', ...(req.passBack ?? [])]) {
    const value = answer.headers.get(name);
    if (value !== null) res.setHeader(name, value);
  }
  res.setHeader('cache-control', 'no-store');
  res.end(body);
}

function isErrorBody(body: Buffer): boolean {
  try {
    const error = (JSON.parse(body.toString('utf8')) as { error?: { code?: unknown; message?: unknown } }).error;
    return typeof error?.code === 'string' && typeof error.message === 'string';
  } catch {
    return false;
  }
}

/** The named request headers, where present. */
export function pick(headers: Record<string, string | string[] | undefined>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const value = headers[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}
