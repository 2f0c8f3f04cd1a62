import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { createPool, statement } from '../src/db';

const url = process.env.DATABASE_URL ?? 'postgres://tracequest:tracequest@127.0.0.1:5432/tracequest';

describe('createPool', () => {
  it('when Postgres closes an idle connection (a restart), then the service lives on and the next query opens a fresh one', async () => {
    const pool = createPool(url, 'public', { max: 2 });
    const admin = new Pool({ connectionString: url, max: 1 });
    try {
      const { rows } = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // The connection is idle in the pool now; the server ends it as a restart would.
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await sleep(200);
      const again = await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      assert.notEqual(again.rows[0].pid, rows[0].pid);
    } finally {
      await pool.end();
      await admin.end();
    }
  });

  it("when a connection sits idle past pg's default 10 s, then it stays open: the next query runs on the same backend, its statements still prepared", async () => {
    const pool = createPool(url, 'public', { max: 1 });
    try {
      const first = await pool.query<{ pid: number }>(statement('test_idle_pid', 'SELECT pg_backend_pid() AS pid, $1::int AS n', [1]));
      await sleep(10_500);
      assert.equal(pool.totalCount, 1, 'the idle connection is still in the pool');
      const again = await pool.query<{ pid: number }>(statement('test_idle_pid', 'SELECT pg_backend_pid() AS pid, $1::int AS n', [2]));
      assert.equal(again.rows[0].pid, first.rows[0].pid);
      const prepared = await pool.query(`SELECT 1 FROM pg_prepared_statements WHERE name = 'test_idle_pid'`);
      assert.equal(prepared.rowCount, 1);
    } finally {
      await pool.end();
    }
  });
});

describe('statement', () => {
  it('when a named statement runs twice on a connection, then Postgres prepared it once and keeps it by name', async () => {
    const pool = createPool(url, 'public', { max: 1 });
    try {
      const client = await pool.connect();
      try {
        for (const n of [1, 2]) {
          const { rows } = await client.query<{ n: number }>(statement('test_echo', 'SELECT $1::int AS n', [n]));
          assert.equal(rows[0].n, n);
        }
        const prepared = await client.query<{ name: string; statement: string }>(
          `SELECT name, statement FROM pg_prepared_statements WHERE name = 'test_echo'`,
        );
        assert.deepEqual(prepared.rows, [{ name: 'test_echo', statement: 'SELECT $1::int AS n' }]);
      } finally {
        client.release();
      }
    } finally {
      await pool.end();
    }
  });

  it('when a name is given to a second, different text, then it throws instead of running the wrong query', () => {
    statement('test_one_text', 'SELECT 1 WHERE $1::int > 0', [1]);
    assert.deepEqual(statement('test_one_text', 'SELECT 1 WHERE $1::int > 0', [2]).values, [2]);
    assert.throws(
      () => statement('test_one_text', 'SELECT 2 WHERE $1::int > 0', [1]),
      /test_one_text is already defined with another text/,
    );
  });
});
