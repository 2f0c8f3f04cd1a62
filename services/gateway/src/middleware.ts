import { randomUUID } from 'node:crypto';
import { TraceFlags, trace } from '@opentelemetry/api';
import { serverSpan } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { RequestHandler } from 'express';

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
