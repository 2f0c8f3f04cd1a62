// The chaos run starts its own stack (and restarts RabbitMQ), so this file does not use useStack().
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '@tracequest/stack';

describe('npm run chaos -- --quick', () => {
  it('when order is killed and RabbitMQ restarted under load, then every invariant holds and the table prints', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tq-chaos-results-'));
    const started = Date.now();
    const run = spawnSync(process.execPath, ['bench/dist/src/chaos/main.js', '--quick', '--results', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 150_000,
    });
    const out = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, out);
    assert.match(
      run.stdout,
      /\| Fault \| Undone after \| Requests \| Retried \| Errors \| Lost \| Duplicated \| Oversold \| Stuck \| Kept charges \| Recovered in \|/,
    );
    const lines = run.stdout.split('\n');
    for (const fault of ['none (baseline)', 'kill -9 order', 'restart RabbitMQ', '**all**'])
      assert.ok(
        lines.some((l) => l.startsWith(`| ${fault} |`)),
        `a row for ${fault}`,
      );

    const r = JSON.parse(readFileSync(path.join(dir, 'chaos.json'), 'utf8'));
    assert.ok(Date.parse(r.date) >= started, 'written by this run');
    assert.equal(r.mode, 'quick');
    assert.deepEqual(
      r.verdicts.filter((v: { ok: boolean; finding?: boolean }) => !v.ok && !v.finding),
      [],
    );
    assert.equal(r.ok, true);
    assert.ok(r.total.requests >= 100, `${r.total.requests} checkouts sent`);
    assert.ok((r.answers['201'] ?? 0) >= 50, `${r.answers['201']} answered 201`);
    for (const k of ['lost', 'duplicated', 'oversold', 'stuck', 'kept']) assert.equal(r.total[k], 0, k);
  });
});
