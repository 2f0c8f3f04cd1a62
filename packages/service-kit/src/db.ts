import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Pool, type PoolClient, type QueryConfig } from 'pg';

export interface PoolOptions {
  max?: number;
  /** Postgres cancels a statement running longer than this (a lock wait counts). */
  statementTimeoutMs?: number;
  /** Postgres ends a session left idle inside an open transaction this long, freeing its locks. */
  idleInTransactionTimeoutMs?: number;
}

/**
 * A pool whose connections work in the service's own schema. Every connection has a statement and
 * an idle-in-transaction timeout, so a stuck query or a forgotten transaction cannot hold its locks
 * (and the stock or money behind them) for ever.
 */
export function createPool(
  connectionString: string,
  schema: string,
  { max = 10, statementTimeoutMs = 30_000, idleInTransactionTimeoutMs = 60_000 }: PoolOptions = {},
): Pool {
  const pool = new Pool({
    connectionString,
    max,
    application_name: schema,
    options: `-c search_path=${schema}`,
    connectionTimeoutMillis: 5000,
    // Idle connections stay open (pg closes them after 10 s by default): under a steady load the pool
    // closed and reopened backends all the time, each a password handshake and every named statement
    // prepared again, which cost Postgres and the services CPU on every checkout (docs/performance.md).
    idleTimeoutMillis: 0,
    statement_timeout: statementTimeoutMs,
    idle_in_transaction_session_timeout: idleInTransactionTimeoutMs,
  });
  // An idle connection the server closed (Postgres restarting) is dropped by the pool and the next
  // query opens a fresh one; with no listener, that 'error' event would crash the whole service.
  pool.on('error', () => undefined);
  return pool;
}

/**
 * Applies numbered .sql files (001_init.sql, ...) once each, in order, each in a transaction.
 * An advisory lock makes concurrent start-ups of the same service safe.
 */
export async function migrate(pool: Pool, schema: string, dir: string): Promise<string[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  const client = await pool.connect();
  const applied: string[] = [];
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [schema]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set((await client.query(`SELECT version FROM ${schema}.schema_migrations`)).rows.map((r) => r.version));
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(path.join(dir, file), 'utf8');
      await inTransaction(client, async () => {
        await client.query(sql);
        await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [file]);
      });
      applied.push(file);
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [schema]).catch(() => undefined);
    client.release();
  }
  return applied;
}

async function inTransaction<T>(client: PoolClient, fn: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await fn();
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  }
}

/** Runs fn in one transaction on one pooled connection. */
export async function transaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await inTransaction(client, () => fn(client));
  } finally {
    client.release();
  }
}

/** What a repository method queries: the pool, or the client of an open transaction. */
export type Db = Pool | PoolClient;

const statements = new Map<string, string>();

/**
 * A named statement: Postgres parses and plans it once per connection, then only executes it (the
 * checkout's queries run thousands of times, and parsing and planning them each time was a good part
 * of Postgres's CPU). The name is also the query's span name, `pg.query:<name> <database>`, which
 * says what the query does. A name stands for one text only: reusing it for another is a bug, and
 * throws.
 */
export function statement(name: string, text: string, values: unknown[]): QueryConfig {
  const known = statements.get(name);
  if (known === undefined) statements.set(name, text);
  else if (known !== text) throw new Error(`statement ${name} is already defined with another text`);
  return { name, text, values };
}
