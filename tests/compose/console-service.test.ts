// The console in compose: its own image target, its config from .env, loopback only, and the
// Collector's OTLP/HTTP receiver open to the console's page (and to no other origin).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { configSchema } from '@tracequest/console';
import { ENV, environmentOf, interpolate, repoPath, services, TOOLS_BIN } from './stack-files';

describe('compose service console', () => {
  const env = environmentOf('console');

  it('when it starts, then its config schema accepts what compose gives it', () => {
    const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== null)) as Record<string, string>;
    // The admin token is a file the secrets job writes: 43 characters of base64url.
    assert.equal(set.ADMIN_TOKEN_FILE, '/run/tracequest-secrets/admin_token');
    const parsed = configSchema.safeParse({ ...set, ADMIN_TOKEN: 'Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ' });
    assert.deepEqual(parsed.error?.issues ?? [], []);
    for (const key of Object.keys(configSchema.in.shape)) assert.ok(key in env || `${key}_FILE` in env, `${key} is listed for the console`);
    assert.equal(parsed.data?.CONSOLE_ORIGIN, ENV.CONSOLE_ORIGIN);
    assert.equal(new URL(ENV.CONSOLE_ORIGIN).port, ENV.CONSOLE_PORT, 'CONSOLE_ORIGIN names CONSOLE_PORT');
  });

  it('when it talks to the shop and Jaeger, then it uses compose host names; what the browser opens is on 127.0.0.1', () => {
    assert.equal(env.GATEWAY_URL, `http://gateway:${ENV.GATEWAY_PORT}`);
    assert.equal(env.JAEGER_QUERY_URL, 'http://jaeger:16686');
    assert.equal(env.ADMIN_URL, `http://gateway:${ENV.ADMIN_PORT}`);
    assert.equal(env.ADMIN_TOKEN, undefined, 'the admin token is never in the environment');
    assert.equal(env.BROWSER_OTLP_ENDPOINT, `http://127.0.0.1:${ENV.OTLP_HTTP_PORT}`);
    assert.equal(env.JAEGER_UI_URL, `http://127.0.0.1:${ENV.JAEGER_UI_PORT}`, "compose links to Jaeger's UI");
    assert.equal(env.GRAFANA_URL, `http://127.0.0.1:${ENV.GRAFANA_PORT}`, 'and to Grafana');
    assert.deepEqual(
      services.console.ports?.map((p) => interpolate(p)),
      [`127.0.0.1:${ENV.CONSOLE_PORT}:${ENV.CONSOLE_PORT}`],
    );
  });

  it('when it runs, then no telemetry is preloaded and its healthcheck asks /readyz', () => {
    assert.doesNotMatch(String(env.NODE_OPTIONS), /--require|--import/);
    // No SDK settings: the sampler's two are there only for the Traces tab to say what is dropped.
    assert.deepEqual(
      Object.keys(env).filter((k) => k.startsWith('OTEL_')),
      ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'],
    );
    assert.ok(interpolate(services.console.healthcheck!.test.join(' ')).includes(`http://127.0.0.1:${ENV.CONSOLE_PORT}/readyz`));
    assert.deepEqual(Object.keys(services.console.depends_on ?? {}).sort(), ['gateway', 'jaeger']);
  });

  it("when the page sends its spans, then the Collector's OTLP/HTTP port is published and lets in the console's origin only", () => {
    assert.deepEqual(
      services['otel-collector'].ports?.map((p) => interpolate(p)),
      [`127.0.0.1:${ENV.OTLP_HTTP_PORT}:4318`],
    );
    const collectorEnv = environmentOf('otel-collector') as Record<string, string>;
    assert.equal(collectorEnv.CONSOLE_ORIGIN, ENV.CONSOLE_ORIGIN);
    const printed = (extra: Record<string, string>) => {
      const r = spawnSync(
        path.join(TOOLS_BIN, 'otelcol'),
        ['print-config', '--format=json', '--config', repoPath('infra/otel-collector/config.yaml')],
        { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...extra } },
      );
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout).receivers.otlp.protocols.http.cors.allowed_origins as string[];
    };
    assert.deepEqual(printed(collectorEnv), [ENV.CONSOLE_ORIGIN]);
    assert.deepEqual(printed({}), ['http://127.0.0.1:8090'], 'the default is the native console');
  });
});
