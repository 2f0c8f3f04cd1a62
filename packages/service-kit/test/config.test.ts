// Secrets reach a service's typed config directly or as files (compose), and weak ones stop it.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { env, loadConfig, serviceConfig } from '../src/config';

const schema = z.object({ ...serviceConfig, ADMIN_TOKEN: env.secret() });
const GENERATED = 'Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ';

describe('secrets in config', () => {
  it('when a secret is given as NAME_FILE, then the file is read; other *_FILE variables are left alone', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'secret-')), 'admin_token');
    writeFileSync(file, `${GENERATED}\n`);
    const config = loadConfig(schema, { ADMIN_TOKEN_FILE: file, SOME_TOOL_CONFIG_FILE: '/nonexistent', FAULTS_FILE: '/tmp/f.json' });
    assert.equal(config.ADMIN_TOKEN, GENERATED);
    assert.equal(config.FAULTS_FILE, '/tmp/f.json');
    assert.throws(() => loadConfig(schema, { ADMIN_TOKEN_FILE: '/nonexistent/admin_token' }), /ADMIN_TOKEN_FILE: cannot read/);
  });

  it('when a secret is unset, short or a well-known default, then config refuses it and says why', () => {
    assert.throws(() => loadConfig(schema, {}), /ADMIN_TOKEN: is not set/);
    assert.throws(() => loadConfig(schema, { ADMIN_TOKEN: 'x'.repeat(31) }), /at least 32/);
    assert.throws(() => loadConfig(schema, { ADMIN_TOKEN: `TraceQuest-Admin-${'x'.repeat(20)}` }), /well-known default/);
  });

  it('when HOST is not set, then a service listens on loopback; a name that is not an address is refused', () => {
    assert.equal(loadConfig(schema, { ADMIN_TOKEN: GENERATED }).HOST, '127.0.0.1');
    assert.equal(loadConfig(schema, { ADMIN_TOKEN: GENERATED, HOST: '0.0.0.0' }).HOST, '0.0.0.0');
    assert.throws(() => loadConfig(schema, { ADMIN_TOKEN: GENERATED, HOST: 'everywhere' }), /HOST/);
  });
});
