import { STATUS_CODES } from 'node:http';
import { type Faults, isHidden, markFault, roll, sleep, targets } from '@tracequest/faults';
import type { RequestHandler } from 'express';
import { AppError, serverSpan } from './errors';

/**
 * The generic faults every service has (latency, error, dependency_timeout), applied per request,
 * before routing (the request's span already carries its route: see `namedRoute`).
 */
export function faultMiddleware(faults: Faults): RequestHandler {
  return async (req, _res, next) => {
    const [hang, latency, error] = await Promise.all([faults.get('dependency_timeout'), faults.get('latency'), faults.get('error')]);
    await applyGenericFaults(faults.service, req.method, req.path, { hang, latency, error });
    next();
  };
}

type P = Record<string, unknown> | undefined;

/** Shared with the worker, whose "route" is its queue step. Throws for an injected error. */
export async function applyGenericFaults(
  service: string,
  method: string,
  path: string,
  f: { hang?: P; latency?: P; error?: P },
): Promise<void> {
  const span = serverSpan();
  if (f.hang && f.hang.service === service && roll(Number(f.hang.probability))) {
    markFault('dependency_timeout', { 'fault.latency_ms': Number(f.hang.ms) }, span);
    await sleep(Number(f.hang.ms));
  }
  if (f.latency && targets(f.latency as never, service, method, path) && roll(Number(f.latency.probability))) {
    const ms = Number(f.latency.ms) + Math.round(Math.random() * Number(f.latency.jitter_ms));
    markFault('latency', { 'fault.latency_ms': ms }, span);
    await sleep(ms);
  }
  if (f.error && targets(f.error as never, service, method, path) && roll(Number(f.error.rate))) {
    const status = Number(f.error.status);
    markFault('error', { 'fault.status': status }, span);
    throw injectedError(service, status);
  }
}

/**
 * The error an `error` fault answers. Revealed, it says what it is; hidden (a quest's), it looks
 * like any failure with that status (503: service_unavailable, "service unavailable"), so nothing
 * in the answer or on the spans names the service at fault: the trace's structure has to.
 */
function injectedError(service: string, status: number): AppError {
  if (!isHidden('error')) return new AppError(status, 'injected_error', `injected fault: ${service} answered ${status}`, true);
  const text = (STATUS_CODES[status] ?? 'error').toLowerCase();
  const err = new AppError(status, text.replace(/[^a-z0-9]+/g, '_'), text, true);
  // The stack would name this file in the exception event's exception.stacktrace.
  err.stack = `${err.name}: ${err.message}`;
  return err;
}
