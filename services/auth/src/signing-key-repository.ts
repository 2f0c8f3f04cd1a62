import type { Db } from '@tracequest/service-kit';
import type { JWK } from 'jose';
import type { Pool } from 'pg';

export interface SigningKeyRow {
  kid: string;
  publicJwk: JWK;
  privateJwk: JWK;
  createdAt: Date;
}

const COLUMNS = 'kid, public_jwk AS "publicJwk", private_jwk AS "privateJwk", created_at AS "createdAt"';

export class SigningKeyRepository {
  constructor(private readonly pool: Pool) {}

  /** Every key, newest first: the first signs, all verify. */
  async all(db: Db = this.pool): Promise<SigningKeyRow[]> {
    const { rows } = await db.query<SigningKeyRow>(`SELECT ${COLUMNS} FROM signing_keys ORDER BY created_at DESC, kid`);
    return rows;
  }

  async insert(kid: string, publicJwk: JWK, privateJwk: JWK, db: Db = this.pool): Promise<void> {
    await db.query(`INSERT INTO signing_keys (kid, algorithm, public_jwk, private_jwk) VALUES ($1, 'EdDSA', $2, $3)`, [
      kid,
      publicJwk,
      privateJwk,
    ]);
  }

  /** Serialises the first start of several auth processes, so one key is made, not one each. */
  async lockForKeyCreation(db: Db): Promise<void> {
    await db.query(`SELECT pg_advisory_xact_lock(hashtext('auth.signing_keys'))`);
  }
}
