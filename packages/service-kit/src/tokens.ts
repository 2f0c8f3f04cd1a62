import {
  accessTokenClaims,
  JWKS_PATH,
  type ServiceClient,
  serviceTokenClaims,
  TOKEN_ALGORITHM,
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
} from '@tracequest/contracts';
import { type createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify } from 'jose';
import { AppError } from './errors';

const MAX_REMEMBERED = 10_000;

/** Who a verified token speaks for: a user, or a service acting as itself. */
export type Caller = { kind: 'user'; id: string; email: string; exp: number } | { kind: 'service'; name: ServiceClient; exp: number };

function callerOf(payload: unknown): Caller | undefined {
  const service = serviceTokenClaims.safeParse(payload).data;
  if (service) return { kind: 'service', name: service.sub, exp: service.exp };
  const user = accessTokenClaims.safeParse(payload).data;
  return user && { kind: 'user', id: user.sub, email: user.email, exp: user.exp };
}

/**
 * Verifies access tokens locally against auth's published keys (its JWKS), fetched once and
 * cached; a token signed by a key it has not seen yet makes it fetch the keys again, so auth can
 * add a key without restarting anyone.
 */
export class TokenVerifier {
  private readonly keys: ReturnType<typeof createRemoteJWKSet> | ReturnType<typeof createLocalJWKSet>;
  /** Tokens already verified, until they expire: a client sends the same token with every request. */
  private readonly verified = new Map<string, Caller>();

  /** From auth's address (its JWKS is fetched), or a key set already in hand (auth's own). */
  constructor(authUrlOrKeys: string | ReturnType<typeof createLocalJWKSet>) {
    this.keys =
      typeof authUrlOrKeys === 'string'
        ? createRemoteJWKSet(new URL(JWKS_PATH, authUrlOrKeys), { timeoutDuration: 2000, cooldownDuration: 30_000, cacheMaxAge: 600_000 })
        : authUrlOrKeys;
  }

  /** Who the token speaks for, or undefined for a token that is malformed, forged, expired or for someone else. */
  async verify(token: string): Promise<Caller | undefined> {
    const known = this.verified.get(token);
    if (known && known.exp * 1000 > Date.now()) return known;
    this.verified.delete(token);
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
        algorithms: [TOKEN_ALGORITHM],
      });
      const claims = callerOf(payload);
      if (claims) {
        if (this.verified.size >= MAX_REMEMBERED) this.verified.clear();
        this.verified.set(token, claims);
      }
      return claims;
    } catch (err) {
      // No answer from auth is not the caller's fault: say so instead of "invalid token".
      if (
        err instanceof errors.JWKSTimeout ||
        err instanceof errors.JWKSInvalid ||
        (err instanceof TypeError && /fetch/i.test(err.message))
      )
        throw new AppError(503, 'upstream_unavailable', 'the token keys could not be fetched from auth');
      if (err instanceof errors.JOSEError) return undefined;
      throw err;
    }
  }
}
