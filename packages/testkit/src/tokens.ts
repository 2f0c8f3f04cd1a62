import { randomUUID } from 'node:crypto';
import { JWKS_PATH, type Jwks, SERVICE_TOKEN_PATH, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from '@tracequest/contracts';
import { TokenVerifier } from '@tracequest/service-kit';
import express from 'express';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { startApp } from './index';

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
  /** A service's own token, as auth issues it for the client credentials generated at install. */
  const signService = (name: string, opts: { expiresIn?: string } = {}) =>
    new SignJWT({ svc: true })
      .setProtectedHeader({ alg: TOKEN_ALGORITHM, kid })
      .setSubject(name)
      .setIssuer(TOKEN_ISSUER)
      .setAudience(TOKEN_AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(opts.expiresIn ?? '5m')
      .sign(privateKey);
  return { jwks, sign, signService };
}

/**
 * A stand-in for auth that publishes a test key's JWKS (and issues service tokens to any client),
 * for component tests of a service that verifies its callers. `bearer` builds the header.
 */
export async function testAuth() {
  const key = await testSigningKey();
  const app = express();
  app.use(express.json());
  app.get(JWKS_PATH, (_req, res) => void res.json(key.jwks));
  app.post(SERVICE_TOKEN_PATH, async (req, res) => {
    res.json({ access_token: await key.signService(req.body.client_id), token_type: 'Bearer', expires_in: 300 });
  });
  const started = await startApp(app);
  const bearer = async (token: string | Promise<string>) => ({ authorization: `Bearer ${await token}` });
  return {
    ...key,
    url: started.url,
    close: started.close,
    verifier: () => new TokenVerifier(started.url),
    /** Headers for a request as this user. */
    asUser: (sub: string) => bearer(key.sign(sub)),
    /** Headers for a request as this service. */
    asService: (name: string) => bearer(key.signService(name)),
  };
}
