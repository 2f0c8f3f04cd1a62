import type { Pool } from 'pg';

export interface User {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

const COLUMNS = 'id, email, name, password_hash AS "passwordHash"';

export class UserRepository {
  constructor(private readonly pool: Pool) {}

  /** Inserts a user; returns undefined when the email is already taken. */
  async insert(email: string, name: string, passwordHash: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<User>(
      `INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (lower(email)) DO NOTHING RETURNING ${COLUMNS}`,
      [email, name, passwordHash],
    );
    return rows[0];
  }

  async findByEmail(email: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<User>(`SELECT ${COLUMNS} FROM users WHERE lower(email) = lower($1)`, [email]);
    return rows[0];
  }

  async findById(id: string): Promise<User | undefined> {
    const { rows } = await this.pool.query<User>(`SELECT ${COLUMNS} FROM users WHERE id = $1`, [id]);
    return rows[0];
  }
}
