// docker-compose.yml read by compose-go, the loader inside Docker Compose (what `docker compose
// config` shows): .env and interpolation, YAML merge keys, profiles, the current Compose schema.
// The checker in compose-config/ is built with Go (which the test command requires) from the module proxy.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ENV, repoPath } from './stack-files';

/** The containers `up` starts; k6 (a profile) comes on top when run. */
const MEMORY_BUDGET = 3 * 1024 ** 3;

interface Loaded {
  name: string;
  services: Record<
    string,
    {
      image?: string;
      command?: string[];
      environment?: Record<string, string | null>;
      ports?: { host_ip: string; published: string; target: number }[];
      mem_limit?: number;
    }
  >;
}

describe('docker-compose.yml as Docker Compose loads it', () => {
  const bin = path.join(mkdtempSync(path.join(tmpdir(), 'compose-config-')), 'compose-config');
  const load = (profiles: string[] = [], env: Record<string, string> = {}) => {
    // A clean environment: only .env (and what a test sets) feeds the interpolation.
    const r = spawnSync(bin, [repoPath('docker-compose.yml'), ...profiles], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /level=warning/, 'compose warns about nothing (an unset variable, an obsolete key)');
    return JSON.parse(r.stdout) as Loaded;
  };

  before(() => {
    const r = spawnSync('go', ['build', '-o', bin, '.'], { cwd: repoPath('tests/compose/compose-config'), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('when it loads with .env, then every image, port and address is resolved, and k6 waits for its profile', () => {
    const project = load();
    assert.equal(project.name, ENV.COMPOSE_PROJECT_NAME);
    assert.equal(project.services.k6, undefined);
    for (const [name, svc] of Object.entries(project.services)) {
      if (svc.image) assert.match(svc.image, /^[a-z0-9./-]+:v?\d+\.\d+(\.\d+)?(-[a-z]+)?$/, name);
      for (const p of svc.ports ?? []) assert.equal(p.host_ip, '127.0.0.1', `${name} publishes on loopback`);
    }
    assert.deepEqual(
      project.services.gateway.ports?.map((p) => [p.published, p.target]),
      [
        [ENV.GATEWAY_PORT, Number(ENV.GATEWAY_PORT)],
        [ENV.ADMIN_PORT, Number(ENV.ADMIN_PORT)],
      ],
    );
    assert.equal(project.services.order.environment?.AMQP_URL, `amqp://${ENV.RABBITMQ_USER}:${ENV.RABBITMQ_PASSWORD}@rabbitmq:5672`);
    // Tokens are signed with a key auth makes on its first start: no shared secret is passed in.
    assert.equal(project.services.auth.environment?.JWT_SECRET, undefined);
  });

  it('when the shop services start, then they get the Node memory flags of .env, the same the native run uses', () => {
    const project = load();
    assert.match(ENV.SERVICE_NODE_OPTIONS, /^--max-semi-space-size=\d+ --max-old-space-size=\d+$/, 'read from .env without its quotes');
    for (const name of ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker']) {
      assert.equal(project.services[name].environment?.NODE_OPTIONS, ENV.SERVICE_NODE_OPTIONS, name);
    }
  });

  it('when the load profile is on, then k6 runs against the gateway, on top of limits that total at most 3 GiB', () => {
    const total = (p: Loaded) => Object.values(p.services).reduce((sum, s) => sum + Number(s.mem_limit ?? Infinity), 0);
    const project = load(['load']);
    assert.equal(project.services.k6.environment?.BASE_URL, `http://gateway:${ENV.GATEWAY_PORT}`);
    assert.deepEqual(project.services.k6.command, ['run', '/scripts/checkout-mix.js']);
    const alwaysOn = total(load());
    assert.ok(alwaysOn <= MEMORY_BUDGET, `${alwaysOn / 1024 ** 2} MiB`);
    assert.equal(total(project), alwaysOn + Number(project.services.k6.mem_limit));
  });

  it('when OTELCOL_EXTRA_CONFIG names tail-sampling.yaml, then the Collector reads that overlay last', () => {
    assert.equal(load().services['otel-collector'].command?.at(-1), '--config=/etc/otelcol/none.yaml');
    const command = load([], { OTELCOL_EXTRA_CONFIG: 'tail-sampling.yaml' }).services['otel-collector'].command;
    assert.equal(command?.at(-1), '--config=/etc/otelcol/tail-sampling.yaml');
    // and the console, whose Traces tab says that traces are dropped.
    assert.equal(
      load([], { OTELCOL_EXTRA_CONFIG: 'tail-sampling.yaml' }).services.console.environment?.OTELCOL_EXTRA_CONFIG,
      'tail-sampling.yaml',
    );
    assert.equal(load().services.console.environment?.OTELCOL_EXTRA_CONFIG, 'none.yaml');
  });
});
