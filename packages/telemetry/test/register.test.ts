// The preloaded SDK, in a child process as a service starts it: what it records, and what it loads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';

const PACKAGE = path.resolve(__dirname, '../..');
const REGISTER = path.join(PACKAGE, 'dist/src/register.js');

// Starts one span and reports whether it is recorded, its attribute after the length limit, and
// which exporter modules the process loaded.
const PROBE = `
const api = require('@opentelemetry/api');
const span = api.trace.getTracer('probe').startSpan('probe');
span.setAttribute('long', 'x'.repeat(100));
const loaded = Object.keys(require.cache);
console.log(JSON.stringify({
  recorded: span.isRecording(),
  long: span.attributes ? span.attributes.long.length : null,
  resource: span.resource ? [span.resource.attributes['service.name'], span.resource.attributes['telemetry.sdk.language'], span.resource.attributes['deployment.environment.name']] : null,
  grpc: loaded.some((f) => f.includes('grpc')),
  logs: loaded.some((f) => f.includes('sdk-logs')),
}));
process.exit(0);`;

function probe(env: Record<string, string>) {
  const r = spawnSync(process.execPath, ['--require', REGISTER, '-e', PROBE], {
    cwd: PACKAGE,
    encoding: 'utf8',
    timeout: 20_000,
    // Nothing listens there: nothing needs to, the probe exits before any export.
    env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', OTEL_SERVICE_NAME: 'probe', ...env },
  });
  // The probe's report is its last line; the SDK's diagnostics, if any, come before it.
  const lines = r.stdout.trim().split('\n');
  return {
    status: r.status,
    stderr: r.stderr,
    said: [...lines.slice(0, -1), r.stderr].join('\n').trim(),
    out: r.status === 0 ? JSON.parse(lines[lines.length - 1]) : undefined,
  };
}

describe('the preloaded telemetry', () => {
  it('when started with the defaults, then spans are recorded and only the protobuf exporters are loaded', () => {
    const { out } = probe({ OTEL_LOGS_EXPORTER: 'none', OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test' });
    assert.deepEqual(out, { recorded: true, long: 100, resource: ['probe', 'nodejs', 'test'], grpc: false, logs: false });
  });

  it('when a sampler, a ratio or a length limit is set, then the SDK follows them', () => {
    assert.equal(probe({ OTEL_TRACES_SAMPLER: 'always_off' }).out?.recorded, false);
    assert.equal(probe({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }).out?.recorded, false);
    assert.equal(probe({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }).out?.recorded, true);
    assert.equal(probe({ OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '16' }).out?.long, 16);
    // Empty is unset (compose passes the sampler variables on, set or not): every trace is recorded.
    assert.equal(probe({ OTEL_TRACES_SAMPLER: '', OTEL_TRACES_SAMPLER_ARG: ' ' }).out?.recorded, true);
  });

  it('when logs go over OTLP or the protocol is gRPC, then those exporters are loaded', () => {
    assert.equal(probe({ OTEL_LOGS_EXPORTER: 'otlp' }).out?.logs, true);
    assert.equal(probe({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }).out?.grpc, true);
  });

  it('when OTEL_LOG_LEVEL asks for them, then the SDK says what it does; by default it says nothing', () => {
    assert.equal(probe({}).said, '');
    assert.match(probe({ OTEL_LOG_LEVEL: 'DEBUG' }).said, /@opentelemetry\/api: Registered a global/);
  });

  it('when OTEL_SDK_DISABLED is TRUE in any case, then nothing is recorded', () => {
    assert.equal(probe({ OTEL_SDK_DISABLED: 'True' }).out?.recorded, false);
  });

  it('when a variable is misspelt or out of range, then the process stops naming it', () => {
    for (const [name, value] of [
      ['OTEL_TRACES_SAMPLER', 'parentbased_ratio'],
      ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
      ['OTEL_LOGS_EXPORTER', 'loki'],
      ['OTEL_LOG_LEVEL', 'loud'],
    ]) {
      const r = probe({ [name]: value });
      assert.equal(r.status, 1, `${name}=${value}`);
      assert.match(r.stderr, new RegExp(`telemetry: invalid telemetry configuration:[\\s\\S]*${name}`));
    }
  });
});
