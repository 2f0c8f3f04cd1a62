// The benchmark starts its own stack, so this file does not use useStack().
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { FaultStore, readFlagsText } from '@tracequest/faults';
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
  'p95_ms_off',
];
const SPREADS = [
  'cpu_ms_per_checkout_on',
  'cpu_ms_per_checkout_off',
  'service_cpu_ms_per_checkout_on',
  'service_cpu_ms_per_checkout_off',
  'cpu_ratio',
];

describe('npm run bench -- --quick', () => {
  it('when the quick benchmark runs, then it writes latest.json with every number, the CPU of every process, on and off', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tq-bench-results-'));
    // A fault left on in npm start's flags file (here: every gateway request fails) must not reach
    // the bench, which runs with a flags file of its own.
    const learners = path.join(REPO_ROOT, '.run', 'faults.json');
    const kept = readFlagsText(learners);
    new FaultStore(learners).set('error', { service: 'gateway', rate: 1, status: 503 });
    const started = Date.now();
    const run = spawnSync(process.execPath, ['bench/dist/src/main.js', '--quick', '--results', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (kept) writeFileSync(learners, kept);
    else rmSync(learners, { force: true });
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const r = JSON.parse(readFileSync(path.join(dir, 'latest.json'), 'utf8'));
    assert.equal(r.errors, 0);
    assert.equal(r.mode, 'quick');
    assert.ok(Date.parse(r.date) >= started - 1000, 'written by this run');
    for (const key of NUMBERS) assert.ok(Number.isFinite(r[key]), `${key} is a number: ${r[key]}`);
    for (const key of SPREADS) for (const k of ['median', 'min', 'max']) assert.ok(Number.isFinite(r[key][k]), `${key}.${k}`);
    // Every process a checkout touches is measured, on and off, and the services do real work.
    for (const key of ['cpu_ms_per_checkout_on', 'cpu_ms_per_checkout_off'])
      for (const p of [...SERVICES, 'postgres', 'rabbitmq', 'otelcol', 'jaeger', 'load_generator'])
        assert.ok(Number.isFinite(r[key].by_process[p]), `${key}.by_process.${p}`);
    assert.ok(r.cpu_ms_per_checkout_on.by_process.order > 0 && r.cpu_ms_per_checkout_off.by_process.order > 0);
    assert.equal(r.trials.length, 2);
    assert.deepEqual(
      r.trials.map((t: { mode: string }) => t.mode),
      ['on', 'off'],
    );
    assert.equal(r.cpu_ratio.per_pair.length, 1);
    assert.deepEqual(Object.keys(r.rss_mb).sort(), [...SERVICES].sort());
    for (const mb of Object.values(r.rss_mb)) assert.ok(Number.isFinite(mb));
    for (const key of ['cpus', 'memory_gb']) assert.ok(Number.isFinite(r.machine[key]), `machine.${key}`);
    assert.match(r.machine.node, /^v\d+/);
    assert.ok(readdirSync(dir).length === 2, 'latest.json and its dated copy');
  });
});
