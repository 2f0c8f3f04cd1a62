// The summary's first line: what was sent against what was planned, and what the dropped arrivals were.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSummary, type LoadSummary } from '../src';

const summary = (planned: number, sent: number, dropped: number): LoadSummary => ({
  scenario: 'checkout-rate',
  knobs: {},
  planned,
  sent,
  dropped,
  durationMs: 30_000,
  checks: { passes: sent, fails: 0 },
  tasks: {},
  phases: [],
  thresholds: [],
  passed: dropped === 0,
});
const first = (s: LoadSummary) => formatSummary(s).split('\n')[0];

describe('the load summary', () => {
  it('when arrivals were dropped, then it says how many were never sent and how many were sent late', () => {
    assert.equal(first(summary(750, 750, 0)), 'checkout-rate: 750 requests of 750 planned, 0 dropped, in 30.0 s');
    assert.equal(first(summary(750, 700, 50)), 'checkout-rate: 700 requests of 750 planned, 50 dropped, in 30.0 s');
    // Late ones are among the sent: 3555 sent + 58412 dropped is more than the 60000 planned.
    assert.equal(
      first(summary(60_000, 3555, 58_412)),
      'checkout-rate: 3555 requests of 60000 planned, 58412 dropped (56445 never sent, 1967 sent late), in 30.0 s',
    );
  });
});
