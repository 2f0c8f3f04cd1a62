// Each shop service in compose gets what its own config schema asks for (services/<name>/src/config.ts),
// on the ports .env names, with compose host names instead of loopback addresses.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ZodObject, ZodType } from 'zod';
import { ENV, environmentOf, interpolate, repoPath, SHOP_SERVICES, services } from './stack-files';

function configSchema(service: string): ZodObject<Record<string, ZodType>> {
  return require(repoPath('services', service, 'dist/src/config.js')).configSchema;
}

/** Keys whose absence fails the schema: the variables a service cannot start without. */
function requiredKeys(service: string): string[] {
  const result = configSchema(service).safeParse({});
  return result.success ? [] : [...new Set(result.error.issues.map((i) => String(i.path[0])))];
}

const portVar = (s: string) => `${s.toUpperCase()}_PORT`;
/** A secret compose hands over as NAME_FILE: the file the secrets job writes holds 43 characters like these. */
const GENERATED = 'Zm9yLXRlc3RzLW9ubHktbm90LWEtcmVhbC1zZWNyZXQ';
/** The environment as the service reads it: NAME_FILE stands for NAME with the file's content. */
const asRead = (env: Record<string, string | null>) =>
  Object.fromEntries(
    Object.entries(env)
      .filter(([, v]) => v !== null)
      .map(([k, v]) => (k.endsWith('_FILE') && k !== 'FAULTS_FILE' ? [k.slice(0, -5), GENERATED] : [k, v])),
  );
const HOSTS = ['postgres', 'rabbitmq', 'otel-collector', ...SHOP_SERVICES];

for (const name of SHOP_SERVICES) {
  describe(`compose service ${name}`, () => {
    const env = environmentOf(name);

    it('when its config schema requires a variable, then compose sets it to a value', () => {
      const required = requiredKeys(name);
      assert.ok(required.length > 0, 'the schema requires something');
      for (const key of required) assert.ok(env[key] || env[`${key}_FILE`], `${key} is set for ${name}`);
      // A name without a value stays unset in the container, so the schema's default applies.
      assert.deepEqual(configSchema(name).safeParse(asRead(env)).error?.issues ?? [], [], 'the values pass the schema');
    });

    it('when its config schema reads a variable, then compose lists it by name', () => {
      for (const key of Object.keys(configSchema(name).shape))
        assert.ok(key in env || `${key}_FILE` in env, `${key} is listed for ${name}`);
    });

    it('when it listens, then its port is the one in .env and the service default', () => {
      const key = portVar(name);
      const fallback = configSchema(name).shape[key].parse(undefined);
      assert.equal(env[key], ENV[key]);
      assert.equal(Number(ENV[key]), fallback);
      const probe = interpolate(services[name].healthcheck!.test.join(' '));
      assert.ok(probe.includes(`http://127.0.0.1:${fallback}/readyz`), probe);
    });

    it('when it calls another container, then it uses compose host names, never loopback', () => {
      for (const [key, value] of Object.entries(env)) {
        assert.doesNotMatch(value ?? '', /127\.0\.0\.1|localhost/, `${key}=${value}`);
        const host = /^[a-z]+:\/\/(?:[^@/]*@)?([^:/]+)/.exec(value ?? '')?.[1];
        if (host) assert.ok(HOSTS.includes(host), `${key} points at ${host}`);
      }
    });

    it('when it starts, then telemetry goes to the Collector under its own service name', () => {
      assert.equal(env.OTEL_SERVICE_NAME, name);
      assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, 'http://otel-collector:4318');
      assert.equal(env.OTEL_EXPORTER_OTLP_PROTOCOL, 'http/protobuf');
      assert.ok(env.OTEL_RESOURCE_ATTRIBUTES?.includes('deployment.environment.name=compose'));
      assert.ok('LOG_LEVEL' in env);
      // Spans leave as often as natively (.env): a trace shows up in Jaeger as soon in either.
      assert.equal(env.OTEL_BSP_SCHEDULE_DELAY, ENV.OTEL_BSP_SCHEDULE_DELAY);
      assert.equal(ENV.OTEL_BSP_SCHEDULE_DELAY, '1000');
    });
  });
}

describe('compose shop services', () => {
  it('when the gateway is published, then GATEWAY_PORT and its admin API on ADMIN_PORT, both on 127.0.0.1 only', () => {
    assert.deepEqual(
      services.gateway.ports?.map((p) => interpolate(p)),
      [`127.0.0.1:${ENV.GATEWAY_PORT}:${ENV.GATEWAY_PORT}`, `127.0.0.1:${ENV.ADMIN_PORT}:${ENV.ADMIN_PORT}`],
    );
    assert.equal(environmentOf('gateway').ADMIN_HOST, '0.0.0.0');
  });

  it('when the other services run, then none of them is published: they are reached on the private network', () => {
    for (const name of SHOP_SERVICES.filter((s) => s !== 'gateway')) assert.equal(services[name].ports, undefined, name);
    for (const name of SHOP_SERVICES) assert.equal(environmentOf(name).HOST, '0.0.0.0', name);
  });

  it('when the worker consumes, then TRACE_CONSUME_AS can be passed through', () => {
    assert.ok('TRACE_CONSUME_AS' in environmentOf('worker'));
  });

  it('when a head sampler is given in the shell (quest 11), then every service gets it', () => {
    for (const name of SHOP_SERVICES)
      for (const key of ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG']) {
        const env = environmentOf(name);
        assert.ok(key in env && env[key] === null, `${name} passes ${key} through from the shell`);
      }
    // The console too: its Traces tab says when traces are sampled.
    for (const key of ['OTEL_TRACES_SAMPLER', 'OTEL_TRACES_SAMPLER_ARG'])
      assert.equal(environmentOf('console')[key], null, `console ${key}`);
  });
});
