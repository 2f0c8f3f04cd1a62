-- The keys auth signs access tokens with. The first start of an install generates one; its public
-- half is published as a JWKS, so every other service verifies tokens without calling auth.
-- A later key is added beside the old ones, which stay published until their tokens expire.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  algorithm text NOT NULL CHECK (algorithm = 'EdDSA'),
  public_jwk jsonb NOT NULL,
  private_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
