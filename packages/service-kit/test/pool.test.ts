import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pool } from 'pg';
import { createPool } from '../src/db';

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
});
