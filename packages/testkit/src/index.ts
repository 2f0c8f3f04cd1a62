import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dotenv } from '@tracequest/stack';
import type { Express } from 'express';

/** Loads the repo's .env into process.env (without overriding what is set), like the scripts do. */
export function loadEnv(): NodeJS.ProcessEnv {
  for (const [k, v] of Object.entries(dotenv())) process.env[k] ??= v;
  return process.env;
}

export interface Started {
  url: string;
  server: Server;
  close: () => Promise<void>;
}

/** Starts an app (as built by createApp) on a free loopback port. */
export function startApp(app: Express): Promise<Started> {
  return new Promise((resolve, reject) => {
    const server = app.listen(0, '127.0.0.1', (err?: Error) => {
      if (err) return reject(err);
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({
        url,
        server,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

export interface JsonResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

/** A JSON request; `raw` sends a string body as is (for malformed-input tests). */
export async function request<T = any>(
  base: string,
  method: string,
  urlPath: string,
  opts: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string } = {},
): Promise<JsonResponse<T>> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(base + urlPath, {
    method,
    headers,
    body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
  });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, headers: res.headers, body };
}

export const uniqueEmail = (prefix = 'user') => `${prefix}-${randomUUID().slice(0, 8)}@test.example`;

/** Polls until fn returns a truthy value, or fails after timeoutMs. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
}

/** Asserts the one error shape every service returns. */
export function isErrorBody(body: any, code?: string): boolean {
  return typeof body?.error?.code === 'string' && typeof body?.error?.message === 'string' && (!code || body.error.code === code);
}

export { type RecordedSpan, recordCounters, recordSpans } from './recording-telemetry';
export { testAuth, testSigningKey } from './tokens';
