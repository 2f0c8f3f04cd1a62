// npm start's banner says when traces are being dropped: a sampler left on from quest 11 hides the
// traces the later quests look for.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consumeAsOf, dotenv, samplingOf } from '../src';

describe('samplingOf', () => {
  it('when .env is as committed, then every trace is kept', () => {
    assert.equal(samplingOf(dotenv()), 'every trace is kept');
    assert.equal(samplingOf({ OTEL_TRACES_SAMPLER: 'parentbased_always_on', OTELCOL_EXTRA_CONFIG: 'none.yaml' }), 'every trace is kept');
  });

  it("when quest 11's head sampler or tail-sampling overlay is on, then the banner names it and how to turn it off", () => {
    assert.equal(
      samplingOf({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1', OTELCOL_EXTRA_CONFIG: 'none.yaml' }),
      'NOT every trace is kept: the services sample (OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1); started without that setting, npm start keeps every trace',
    );
    assert.equal(
      samplingOf({ OTELCOL_EXTRA_CONFIG: 'tail-sampling.yaml' }),
      'NOT every trace is kept: the Collector samples (OTELCOL_EXTRA_CONFIG=tail-sampling.yaml); started without that setting, npm start keeps every trace',
    );
    assert.match(
      samplingOf({ OTEL_TRACES_SAMPLER: 'always_off', OTELCOL_EXTRA_CONFIG: 'tail-sampling.yaml' }),
      /: the services sample \(OTEL_TRACES_SAMPLER=always_off\) and the Collector samples .*; started without these settings,/,
    );
  });
});

describe('consumeAsOf', () => {
  it("when .env is as committed, then the worker's spans are said to continue the checkout's trace; with TRACE_CONSUME_AS=link, each delivery a linked trace", () => {
    assert.equal(consumeAsOf(dotenv()), "the worker's spans continue the checkout's trace: one trace per checkout");
    assert.match(
      consumeAsOf({ ...dotenv(), TRACE_CONSUME_AS: 'link' }),
      /^each delivery to the worker is a trace of its own, linked to its publish \(TRACE_CONSUME_AS=link\)/,
    );
  });
});
