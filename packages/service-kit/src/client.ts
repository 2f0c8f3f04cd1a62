import http from 'node:http';
import { errorBody, HEADER } from '@tracequest/contracts';
import { type Faults, markFault } from '@tracequest/faults';
import { withoutPropagation } from '@tracequest/telemetry';
import type { z } from 'zod';
import { forwardedToken, SERVICE_TOKEN_REFUSED } from './callers';
import { AppError } from './errors';

export interface CallOptions<S extends z.ZodType> {
  body?: unknown;
  headers?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** The contract of the answer: a 2xx body that does not match it is the callee's fault (502). */
  expect?: S;
  /** Call as this service, with its own token, even while serving a user's request. */
  asService?: boolean;
}

/** How a client's calls are authenticated. */
export interface ClientAuth {
  /** The caller's own token, for calls made while serving no request (a timer, a queue consumer). */
  credentials?: { token(): Promise<string>; forget?(): void };
  /** Forward the token of the request being served (default): the callee sees who asked. */
  forward?: boolean;
}

export interface HttpResult<T> {
  status: number;
  data: T;
}

/**
 * A JSON client for one downstream service. Every call is a client span carrying `traceparent`
 * and `baggage`. Downstream errors keep their status and code, except a
 * plain 500 (hidden as 502); timeouts and refused connections become 504/503.
 */
export class HttpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  constructor(
    readonly service: string,
    readonly baseUrl: string,
    readonly timeoutMs = 5000,
    /** The caller's faults: broken_propagation can drop the trace context on this hop. */
    private readonly faults?: Faults,
    private readonly auth: ClientAuth = {},
  ) {}

  /** The request's own token when serving one, else the service's, else none (a public route). */
  private async bearer(asService = false): Promise<{ token?: string; own: boolean }> {
    const forwarded = this.auth.forward === false || asService ? undefined : forwardedToken();
    if (forwarded) return { token: forwarded, own: false };
    return { token: await this.auth.credentials?.token(), own: true };
  }

  async call<S extends z.ZodType = z.ZodUnknown>(method: string, path: string, opts: CallOptions<S> = {}): Promise<HttpResult<z.infer<S>>> {
    const { token, own } = await this.bearer(opts.asService);
    // Relaying a shopper's token, a service with credentials also says who it is: some routes take
    // shoppers only through it.
    const relay = () => (!own && token && this.auth.credentials ? this.auth.credentials.token() : undefined);
    const result = await this.attempt(method, path, opts, token, await relay());
    // A refused service token (auth's keys were replaced, say), ours or the one beside a relayed
    // shopper's: fetch a new one and try once more. A shopper's refused token is the shopper's.
    const ours = own || result.text.includes(SERVICE_TOKEN_REFUSED);
    if (result.status !== 401 || !token || !ours || !this.auth.credentials?.forget) return this.settle(result, opts);
    this.auth.credentials.forget();
    if (own) return this.settle(await this.attempt(method, path, opts, await this.auth.credentials.token()), opts);
    return this.settle(await this.attempt(method, path, opts, token, await relay()), opts);
  }

  private async attempt(method: string, path: string, opts: CallOptions<z.ZodType>, token: string | undefined, relayed?: string) {
    const headers: Record<string, string> = { accept: 'application/json' };
    for (const [k, v] of Object.entries(opts.headers ?? {})) if (v !== undefined) headers[k] = v;
    if (token) headers.authorization = `Bearer ${token}`;
    if (relayed) headers[HEADER.SERVICE_TOKEN] = relayed;
    const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const send = () => this.send(method, path, headers, body, opts.timeoutMs ?? this.timeoutMs);
    let res: { status: number; text: string; retryAfter?: string };
    try {
      if (this.faults && (await this.faults.dropsContextTo(this.service))) {
        markFault('broken_propagation', { 'fault.hop': `${this.faults.service}->${this.service}` });
        res = await withoutPropagation(send);
      } else res = await send();
    } catch (err) {
      const name = (err as Error).name;
      if (name === 'TimeoutError' || name === 'AbortError')
        throw new AppError(504, 'upstream_timeout', `${this.service} did not answer in time`);
      throw new AppError(503, 'upstream_unavailable', `${this.service} is unavailable`);
    }
    return res;
  }

  private settle<S extends z.ZodType>(
    res: { status: number; text: string; retryAfter?: string },
    opts: CallOptions<S>,
  ): HttpResult<z.infer<S>> {
    const data = parseJson(res.text);
    if (res.status >= 200 && res.status < 300) {
      if (!opts.expect) return { status: res.status, data: data as z.infer<S> };
      const parsed = opts.expect.safeParse(data);
      if (!parsed.success) throw new AppError(502, 'upstream_error', `${this.service} sent an unexpected answer`);
      return { status: res.status, data: parsed.data };
    }
    const error = errorBody.safeParse(data).data?.error;
    // A deliberate error (any status but a plain 500) keeps its status and code up the chain;
    // an internal error stays hidden behind 502 upstream_error.
    // Retry-After (a 429 or a 503) goes up with it: the caller's client is the one to wait.
    if (res.status !== 500 && error)
      throw new AppError(res.status, error.code, error.message, res.status === 402 || res.status >= 500, retryAfter(res.retryAfter));
    throw new AppError(502, 'upstream_error', `${this.service} failed`);
  }

  /**
   * One request over node:http with a keep-alive agent: the http instrumentation makes it a client
   * span and injects traceparent. (fetch cost about twice the CPU per call.) The deadline is a plain
   * timer cleared with the answer: an AbortSignal.timeout fires after every call, answered or not,
   * and builds an exception with a stack trace each time.
   */
  private send(method: string, path: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number) {
    return new Promise<{ status: number; text: string; retryAfter?: string }>((resolve, reject) => {
      const timer = setTimeout(() => {
        const late = Object.assign(new Error(`no answer in ${timeoutMs} ms`), { name: 'TimeoutError' });
        fail(late);
        // Destroyed with the reason, the client span records it: a timeout, not a "socket hang up".
        req.destroy(late);
      }, timeoutMs);
      const fail = (err: Error) => {
        clearTimeout(timer);
        reject(err);
      };
      const req = http.request(new URL(path, this.baseUrl), { method, headers, agent: this.agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), retryAfter: res.headers['retry-after'] });
        });
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(body);
    });
  }
}

const retryAfter = (value?: string): Record<string, string> => (value && /^\d{1,6}$/.test(value) ? { 'retry-after': value } : {});

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}
