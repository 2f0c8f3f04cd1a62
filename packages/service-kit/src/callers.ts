import { AsyncLocalStorage } from 'node:async_hooks';
import type { ServiceClient } from '@tracequest/contracts';
import { ATTR } from '@tracequest/telemetry';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AppError, serverSpan, unauthorized } from './errors';
import type { Caller } from './tokens';

/** Anything that tells who a token speaks for: a TokenVerifier, or auth's own keys. */
export interface Verifier {
  verify(token: string): Promise<Caller | undefined>;
}

/** Who may call a route: users (with their own token), and which services (with theirs). */
export interface CallerPolicy {
  users?: boolean;
  services?: readonly ServiceClient[];
}

/** The request being served on behalf of its caller: its token travels with the calls it makes. */
const current = new AsyncLocalStorage<{ token: string; caller: Caller }>();

/** The bearer token of the caller this code runs for, if any (a request, not a timer). */
export const forwardedToken = (): string | undefined => current.getStore()?.token;

const bearer = z
  .string()
  .max(4096)
  .regex(/^Bearer [A-Za-z0-9._~+/-]+=*$/, 'expected "Bearer <token>"');

/**
 * Verifies the caller's token locally against auth's keys and lets only the callers the policy
 * names through (401 without a valid token, 403 for the wrong caller). The caller lands in
 * res.locals.caller, and its token is forwarded with every call made while serving the request.
 */
export function requireCaller(verifier: Verifier, policy: CallerPolicy): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) throw unauthorized('missing bearer token');
    const parsed = bearer.safeParse(header);
    if (!parsed.success) throw unauthorized('malformed authorization header');
    const token = parsed.data.slice('Bearer '.length);
    const caller = await verifier.verify(token);
    if (!caller) throw new AppError(401, 'invalid_token', 'token is invalid or expired');
    const allowed = caller.kind === 'user' ? policy.users === true : (policy.services ?? []).includes(caller.name);
    if (!allowed) throw new AppError(403, 'forbidden', 'this caller may not do this');
    res.locals.caller = caller;
    if (caller.kind === 'user') serverSpan()?.setAttribute(ATTR.USER_ID, caller.id);
    current.run({ token, caller }, next);
  };
}

/** The user a route serves (after requireCaller with users allowed). */
export function callingUser(locals: Record<string, unknown>): string {
  const caller = locals.caller as Caller | undefined;
  if (caller?.kind !== 'user') throw unauthorized('a user token is required');
  return caller.id;
}
