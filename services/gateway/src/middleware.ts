import { randomUUID } from 'node:crypto';
import { TraceFlags, trace } from '@opentelemetry/api';
import { AppError, serverSpan, type TokenVerifier, unauthorized } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { RequestHandler } from 'express';
import { z } from 'zod';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (kept from the caller when well formed) and returns the trace id as a
 * W3C Trace Context Level 2 `traceresponse` header, so any response leads to its trace.
 */
export const requestContext: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.locals.requestId = id;
  res.setHeader('x-request-id', id);
  const span = serverSpan();
  const sc = span?.spanContext();
  if (span && sc && trace.isSpanContextValid(sc)) {
    span.setAttribute(ATTR.REQUEST_ID, id);
    const flags = (sc.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00';
    res.setHeader('traceresponse', `00-${sc.traceId}-${sc.spanId}-${flags}`);
  }
  next();
};

const bearer = z
  .string()
  .max(4096)
  .regex(/^Bearer [A-Za-z0-9._~+/-]+=*$/, 'expected "Bearer <token>"');

/** Checks the bearer token locally against auth's published keys, and forwards the user id downstream. */
export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) throw unauthorized('missing bearer token');
    const parsed = bearer.safeParse(header);
    if (!parsed.success) throw unauthorized('malformed authorization header');
    const claims = await verifier.verify(parsed.data.slice('Bearer '.length));
    if (!claims) throw new AppError(401, 'invalid_token', 'token is invalid or expired');
    res.locals.userId = claims.sub;
    serverSpan()?.setAttribute(ATTR.USER_ID, claims.sub);
    next();
  };
}
