import { randomUUID } from 'node:crypto';
import { type Jwks, type ServiceClient, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@tracequest/contracts';
import { type Caller, TokenVerifier, transaction } from '@tracequest/service-kit';
import { createLocalJWKSet, exportJWK, generateKeyPair, importJWK, type JWK, SignJWT } from 'jose';
import type { Pool } from 'pg';
import type { SigningKeyRepository, SigningKeyRow } from './signing-key-repository';

type PrivateKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Signs access tokens with the install's Ed25519 key and publishes its public half as a JWKS. The
 * key is made on the first start and kept in auth's schema, so tokens outlive a restart and no
 * secret is shared through .env.
 */
export class Tokens {
  /** Auth checks the tokens sent to it against its own keys, with no call to itself. */
  private readonly verifier: TokenVerifier;

  private constructor(
    private readonly signing: { kid: string; key: PrivateKey },
    private readonly published: Jwks,
    readonly ttlSeconds: number,
  ) {
    this.verifier = new TokenVerifier(createLocalJWKSet(published));
  }

  static async load(pool: Pool, keys: SigningKeyRepository, ttlSeconds: number): Promise<Tokens> {
    const rows = await transaction(pool, async (db) => {
      await keys.lockForKeyCreation(db);
      const existing = await keys.all(db);
      if (existing.length) return existing;
      const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
      const kid = randomUUID();
      await keys.insert(kid, await exportJWK(publicKey), await exportJWK(privateKey), db);
      return keys.all(db);
    });
    const [newest] = rows;
    return new Tokens({ kid: newest.kid, key: await importJWK(newest.privateJwk, TOKEN_ALGORITHM) }, jwksOf(rows), ttlSeconds);
  }

  sign(userId: string, email: string): Promise<string> {
    return this.signed(new SignJWT({ email }).setSubject(userId));
  }

  /** A service's own token: `svc` tells it from a user's. */
  signService(name: ServiceClient): Promise<string> {
    return this.signed(new SignJWT({ svc: true }).setSubject(name));
  }

  verify(token: string): Promise<Caller | undefined> {
    return this.verifier.verify(token);
  }

  private signed(jwt: SignJWT): Promise<string> {
    return jwt
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid: this.signing.kid, typ: 'at+jwt' })
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.signing.key);
  }

  jwks(): Jwks {
    return this.published;
  }
}

const jwksOf = (rows: SigningKeyRow[]): Jwks => ({
  keys: rows.map((r) => {
    const { kty, crv, x } = r.publicJwk as JWK & { kty: 'OKP'; crv: 'Ed25519'; x: string };
    return { kty, crv, x, kid: r.kid, alg: TOKEN_ALGORITHM, use: 'sig' as const };
  }),
});
