import { z } from 'zod';

/** Who issues access tokens and for whom: every verifier checks both. */
export const TOKEN_ISSUER = 'tracequest-auth';
export const TOKEN_AUDIENCE = 'tracequest';
/** The one signature algorithm (Ed25519): verifiers refuse any other, "none" included. */
export const TOKEN_ALGORITHM = 'EdDSA';
/** Where auth publishes the public keys (RFC 8414's well-known location for a JWKS). */
export const JWKS_PATH = '/.well-known/jwks.json';

/** auth -> every verifier: the public keys tokens are signed with (RFC 7517). */
export const jwks = z.object({
  keys: z.array(
    z.object({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519'),
      x: z.string(),
      kid: z.string(),
      alg: z.literal(TOKEN_ALGORITHM),
      use: z.literal('sig'),
    }),
  ),
});
export type Jwks = z.infer<typeof jwks>;

/** The claims of a user's access token, as a verifier reads them. */
export const accessTokenClaims = z.object({ sub: z.uuid(), email: z.string(), exp: z.int(), iss: z.literal(TOKEN_ISSUER) });
export type AccessTokenClaims = z.infer<typeof accessTokenClaims>;

/** The services that call others as themselves, for work no user asked for right then. */
export const SERVICE_CLIENTS = ['order', 'worker'] as const;
export type ServiceClient = (typeof SERVICE_CLIENTS)[number];
/** Where auth issues service tokens (OAuth 2.0's client credentials, in JSON). */
export const SERVICE_TOKEN_PATH = '/service-tokens';

/** a service -> auth: its client id and the secret generated for it at install. */
export const serviceTokenRequest = z.strictObject({ client_id: z.enum(SERVICE_CLIENTS), client_secret: z.string().min(1).max(256) });
export type ServiceTokenRequest = z.infer<typeof serviceTokenRequest>;

/** The claims of a service's token: `svc` tells it from a user's, whose subject is a user id. */
export const serviceTokenClaims = z.object({
  sub: z.enum(SERVICE_CLIENTS),
  svc: z.literal(true),
  exp: z.int(),
  iss: z.literal(TOKEN_ISSUER),
});
export type ServiceTokenClaims = z.infer<typeof serviceTokenClaims>;
