import { randomUUID } from 'node:crypto';
import { type Jwks, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@tracequest/contracts';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

/** A signing key of a test's own, standing in for auth's: its JWKS to serve, and tokens it signs. */
export async function testSigningKey() {
  const { publicKey, privateKey } = await generateKeyPair(TOKEN_ALGORITHM, { crv: 'Ed25519', extractable: true });
  const kid = randomUUID();
  const { x } = await exportJWK(publicKey);
  const jwks: Jwks = { keys: [{ kty: 'OKP', crv: 'Ed25519', x: x!, kid, alg: TOKEN_ALGORITHM, use: 'sig' }] };
  const sign = (sub: string, opts: { expiresIn?: string; issuer?: string; audience?: string } = {}) =>
    new SignJWT({ email: `${sub.slice(0, 8)}@test.example` })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid })
      .setSubject(sub)
      .setIssuer(opts.issuer ?? TOKEN_ISSUER)
      .setAudience(opts.audience ?? TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '5m')
      .sign(privateKey);
  return { jwks, sign };
}
