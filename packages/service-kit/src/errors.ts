import { context, trace } from '@opentelemetry/api';
import { getRPCMetadata } from '@opentelemetry/core';
import { ATTR, currentTraceId, type Logger, RESPONSE_ERROR, type ResponseError, recordError } from '@tracequest/telemetry';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { allowedMethods } from './routes';

/** The one error type: a status, a stable machine code and a message safe to show a client. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Whether the request's span is marked ERROR; by default only for 5xx. */
    readonly failsSpan = status >= 500,
    /** Headers the answer carries (Retry-After with a 429 or 503). */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code = 'bad_request') => new AppError(400, code, message);
export const unauthorized = (message = 'missing or invalid credentials') => new AppError(401, 'unauthenticated', message);
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
export const conflict = (code: string, message: string) => new AppError(409, code, message);

// body-parser signals bad bodies with a `type`; map them to 4xx instead of a hidden 500.
const BODY_ERRORS: Record<string, [number, string, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'request body is too large'],
  'encoding.unsupported': [415, 'unsupported_encoding', 'unsupported content encoding'],
  'charset.unsupported': [415, 'unsupported_charset', 'unsupported charset'],
  'request.aborted': [400, 'request_aborted', 'request aborted'],
};

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const type = (err as { type?: string })?.type;
  if (type && BODY_ERRORS[type]) return new AppError(...BODY_ERRORS[type]);
  // The router decodes path parameters; a bad percent-escape (`/products/%ZZ`) is the client's.
  if (err instanceof URIError) return new AppError(400, 'malformed_path', 'the path has a malformed percent-escape');
  return new AppError(500, 'internal_error', 'internal error');
}

/** The HTTP server span of the current request (the http instrumentation puts it in context). */
export function serverSpan() {
  return getRPCMetadata(context.active())?.span ?? trace.getActiveSpan();
}

/** The one error middleware: JSON error body, hidden 5xx messages, span marked, trace id returned. */
export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appErr = toAppError(err);
    const span = serverSpan();
    let answered: ResponseError = { type: appErr.code };
    if (span) {
      span.setAttribute(ATTR.ERROR_TYPE, appErr.code);
      if (appErr.failsSpan) answered = recordError(span, appErr.status >= 500 && !(err instanceof AppError) ? err : appErr, appErr.code);
    }
    (res as { [RESPONSE_ERROR]?: ResponseError })[RESPONSE_ERROR] = answered;
    if (appErr.status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    const traceId = currentTraceId();
    res.set(appErr.headers);
    res.status(appErr.status).json({
      error: { code: appErr.code, message: appErr.message, ...(traceId ? { trace_id: traceId } : {}) },
    });
  };
}

/**
 * Where no route answered: 404 for a path nothing serves; 405 with `Allow` for a path served with
 * other methods. `options` goes before the routes: OPTIONS (no route has it) is 204 with `Allow`.
 */
export function unmatchedRoutes(app: { router: { stack: unknown[] } }): { options: RequestHandler; unmatched: RequestHandler } {
  const unmatched: RequestHandler = (req, res, next) => {
    const allow = allowedMethods(app.router, req.path);
    if (allow.length === 0) return next(new AppError(404, 'route_not_found', `no route for ${req.method} ${req.path}`));
    const header = { allow: [...allow, 'OPTIONS'].sort().join(', ') };
    if (req.method === 'OPTIONS') return void res.set(header).status(204).end();
    next(new AppError(405, 'method_not_allowed', `${req.method} is not allowed on ${req.path}`, false, header));
  };
  return { options: (req, res, next) => (req.method === 'OPTIONS' ? unmatched(req, res, next) : next()), unmatched };
}
