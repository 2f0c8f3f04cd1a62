import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ConfigError, createPool, poolOptions } from '@tracequest/service-kit';
import { loadEnv } from '@tracequest/testkit';
import { readConfig } from '../src/config';

const env = loadEnv();
const base = {
  DATABASE_URL: env.DATABASE_URL,
  AMQP_URL: env.AMQP_URL,
  AUTH_URL: env.AUTH_URL,
  ORDER_CLIENT_SECRET: env.ORDER_CLIENT_SECRET,
  INVENTORY_URL: env.INVENTORY_URL,
  PAYMENT_URL: env.PAYMENT_URL,
};

describe('the Postgres pool timeouts', () => {
  const config = readConfig({ ...base, DB_STATEMENT_TIMEOUT_MS: '1000', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '1500' });
  const pool = createPool(env.DATABASE_URL!, 'orders', poolOptions(config));
  after(() => pool.end());

  it('when no timeout is configured, then every pool still has both', async () => {
    const defaults = createPool(env.DATABASE_URL!, 'orders');
    try {
      const { rows } = await defaults.query('SELECT current_setting($1) AS s, current_setting($2) AS i', [
        'statement_timeout',
        'idle_in_transaction_session_timeout',
      ]);
      assert.deepEqual(rows[0], { s: '30s', i: '1min' });
    } finally {
      await defaults.end();
    }
  });

  it('when a statement runs past DB_STATEMENT_TIMEOUT_MS, then Postgres cancels it', async () => {
    await assert.rejects(pool.query('SELECT pg_sleep(3)'), (err: { code?: string }) => err.code === '57014');
  });

  it('when a transaction sits idle past DB_IDLE_IN_TRANSACTION_TIMEOUT_MS, then Postgres ends its session', async () => {
    const client = await pool.connect();
    client.on('error', () => undefined);
    try {
      await client.query('BEGIN');
      await new Promise((r) => setTimeout(r, 2500));
      await assert.rejects(client.query('SELECT 1'));
    } finally {
      client.release(true);
    }
  });

  it('when a timeout is out of range, then the config is refused naming the variable', () => {
    assert.throws(
      () => readConfig({ ...base, DB_STATEMENT_TIMEOUT_MS: '5' }),
      (err: Error) => {
        return err instanceof ConfigError && /DB_STATEMENT_TIMEOUT_MS/.test(err.message);
      },
    );
  });
});
