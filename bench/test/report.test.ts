// docs/performance.md's results are the bench's own: rendered from docs/performance.json, never edited.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { currentDocBlock, DOC_RESULTS, docBlock, judge, type Results, spread } from '../src/report';

const published = JSON.parse(readFileSync(DOC_RESULTS, 'utf8')) as Results;

describe('the published benchmark results', () => {
  it('when docs/performance.md is read, then its results block is the one the bench renders from docs/performance.json', () => {
    assert.equal(currentDocBlock(), docBlock(published));
  });

  it('when the results are read, then they come from a full run of interleaved trials, with every key the page explains', () => {
    assert.equal(published.mode, 'full');
    assert.deepEqual(
      published.trials.map((t) => t.mode),
      ['on', 'off', 'off', 'on', 'on', 'off', 'off', 'on'],
      'on and off in turn, each pair in the other order from the one before',
    );
    assert.deepEqual(
      published.trials.map((t) => t.pair),
      published.trials.map((_, i) => Math.floor(i / 2) + 1),
    );
    for (const key of ['cpu_ms_per_checkout_on', 'cpu_ms_per_checkout_off'] as const) {
      const s = published[key];
      assert.ok(s.min <= s.median && s.median <= s.max, `${key}: min <= median <= max`);
      assert.ok(Object.keys(s.by_process).length >= 11, `${key}: every process, services and backends`);
    }
    assert.equal(published.cpu_ratio.per_pair.length, published.trials.length / 2);
    assert.ok(
      published.trials.every((t) => t.speed_ms > 0),
      "every trial timed the machine's speed",
    );
    assert.deepEqual(published.speed_ms, spread(published.trials.map((t) => t.speed_ms)));
    assert.ok(published.p95_ms_off > 0);
    assert.deepEqual(published.targets, judge(published), 'the verdicts are the ones the targets give');
  });
});
