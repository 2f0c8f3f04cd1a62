// The benchmark starts its own stack, so this file does not use useStack().
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, SERVICES } from '@tracequest/stack';

const NUMBERS = [
  'max_sustained_rps_on',
  'max_sustained_rps_off',
  'overhead_ratio',
  'p50_ms',
  'p95_ms',
  'p99_ms',
  'errors',
  'cold_start_ms',
  'spans_per_checkout',
  'exported_spans_per_s',
];

describe('npm run bench -- --quick', () => {
  it('when the quick benchmark runs, then it finishes within a minute and writes latest.json with every number', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tq-bench-results-'));
    const started = Date.now();
    const run = spawnSync(process.execPath, ['bench/dist/src/main.js', '--quick', '--results', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    assert.ok(Date.now() - started < 60_000, `took ${Date.now() - started} ms`);
    const r = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8'));
    assert.equal(r.mode, 'quick');
    assert.ok(Date.parse(r.date) >= started - 1000, 'written by this run');
    for (const key of NUMBERS) assert.ok(Number.isFinite(r[key]), `${key} is a number: ${r[key]}`);
    assert.deepEqual(Object.keys(r.rss_mb).sort(), [...SERVICES].sort());
    for (const mb of Object.values(r.rss_mb)) assert.ok(Number.isFinite(mb));
    for (const key of ['cpus', 'memory_gb']) assert.ok(Number.isFinite(r.machine[key]), `machine.${key}`);
    assert.match(r.machine.node, /^v\d+/);
    assert.ok(readdirSync(dir).length === 2, 'latest.json and its dated copy');
  });
});
