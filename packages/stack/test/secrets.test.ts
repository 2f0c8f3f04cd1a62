// The secrets a native install makes for itself on first use, in .env.local.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseEnv } from 'node:util';
import { ensureLocalSecrets, GENERATED_SECRETS, withInstallPasswords } from '../src';

const fresh = () => path.join(mkdtempSync(path.join(tmpdir(), 'install-')), '.env.local');

describe('ensureLocalSecrets', () => {
  it('when an install starts the first time, then every secret is made: 43 random characters, readable by its owner only', () => {
    const file = fresh();
    const made = ensureLocalSecrets(file);
    for (const name of GENERATED_SECRETS) assert.match(made[name], /^[A-Za-z0-9_-]{43}$/, name);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.notEqual(made.ADMIN_TOKEN, ensureLocalSecrets(fresh()).ADMIN_TOKEN, 'two installs never share one');
  });

  it('when it starts again, then the secrets stay; one that is missing is added, the others kept', () => {
    const file = fresh();
    const first = ensureLocalSecrets(file);
    assert.deepEqual(ensureLocalSecrets(file), first);
    writeFileSync(file, `ADMIN_TOKEN=${first.ADMIN_TOKEN}\n`);
    const again = ensureLocalSecrets(file);
    assert.equal(again.ADMIN_TOKEN, first.ADMIN_TOKEN);
    assert.match(again.ORDER_CLIENT_SECRET, /^[A-Za-z0-9_-]{43}$/);
    assert.deepEqual(parseEnv(readFileSync(file, 'utf8')), again);
  });
});

describe('withInstallPasswords', () => {
  const committed = {
    POSTGRES_PASSWORD: 'tracequest',
    RABBITMQ_PASSWORD: 'tracequest',
    DATABASE_URL: 'postgres://tracequest:tracequest@127.0.0.1:5432/tracequest',
    AMQP_URL: 'amqp://tracequest:tracequest@127.0.0.1:5672',
  };

  it("when the install has its own passwords, then .env's URLs carry them instead of compose's", () => {
    const env = withInstallPasswords(committed, { POSTGRES_PASSWORD: 'pg0wn', RABBITMQ_PASSWORD: 'mq0wn' });
    assert.equal(env.DATABASE_URL, 'postgres://tracequest:pg0wn@127.0.0.1:5432/tracequest');
    assert.equal(env.AMQP_URL, 'amqp://tracequest:mq0wn@127.0.0.1:5672');
  });

  it('when it has none yet, or a URL names another password, then the URL is left as it is', () => {
    assert.deepEqual(withInstallPasswords(committed, {}), committed);
    const other = { ...committed, DATABASE_URL: 'postgres://me:mine@db:5432/x' };
    assert.equal(withInstallPasswords(other, { POSTGRES_PASSWORD: 'pg0wn' }).DATABASE_URL, 'postgres://me:mine@db:5432/x');
  });
});
