import { type Db, statement } from '@tracequest/service-kit';
import type { Pool } from 'pg';

export interface UserRow {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

const COLUMNS = 'id, email, name, password_hash AS "passwordHash"';

export class UserRepository {
  constructor(private readonly pool: Pool) {}

  /** Inserts a user; returns undefined when the email is already taken. */
  async insert(email: string, name: string, passwordHash: string, db: Db = this.pool): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      statement(
        'user_insert',
        `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (lower(email)) DO NOTHING RETURNING ${COLUMNS}`,
        [email, name, passwordHash],
      ),
    );
    return rows[0];
  }

  async findByEmail(email: string, db: Db = this.pool): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(
      statement('user_find_by_email', `SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]),
    );
    return rows[0];
  }

  async findById(id: string, db: Db = this.pool): Promise<UserRow | undefined> {
    const { rows } = await db.query<UserRow>(statement('user_find_by_id', `SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]));
    return rows[0];
  }
}
