import { AsyncLocalStorage } from 'node:async_hooks';
import { HEADER, type ServiceClient } from '@tracequest/contracts';
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
  /**
   * Users only through these services: the shopper's token relayed by one of them, which adds its
   * own token (HEADER.SERVICE_TOKEN). A shopper calling the route directly is refused.
   */
  usersThrough?: readonly ServiceClient[];
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
    if (caller.kind === 'user' && policy.usersThrough) await requireRelay(verifier, req.get(HEADER.SERVICE_TOKEN), policy.usersThrough);
    res.locals.caller = caller;
    if (caller.kind === 'user') serverSpan()?.setAttribute(ATTR.USER_ID, caller.id);
    current.run({ token, caller }, next);
  };
}

/** The code of a refused service token beside a relayed shopper's (the client fetches a new one). */
export const SERVICE_TOKEN_REFUSED = 'invalid_service_token';

/** The service that relays a shopper's token must say who it is, with its own token. */
async function requireRelay(verifier: Verifier, token: string | undefined, through: readonly ServiceClient[]): Promise<void> {
  // Made only when thrown: an error captures its stack, and most relays are let through.
  const refused = () => new AppError(403, 'forbidden', `a shopper's token is taken here only through ${through.join(' or ')}`);
  if (!token) throw refused();
  const relay = await verifier.verify(token.slice(0, 4096));
  // An expired or replaced service token: 401, so the service fetches a new one and tries again.
  if (!relay) throw new AppError(401, SERVICE_TOKEN_REFUSED, 'the relaying service token is invalid or expired');
  if (relay.kind !== 'service' || !through.includes(relay.name)) throw refused();
}

/** The user a route serves (after requireCaller with users allowed). */
export function callingUser(locals: Record<string, unknown>): string {
  const caller = locals.caller as Caller | undefined;
  if (caller?.kind !== 'user') throw unauthorized('a user token is required');
  return caller.id;
}
