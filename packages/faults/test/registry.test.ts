import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  coerce,
  FAULTS,
  FaultInputError,
  FaultStore,
  flagsVersion,
  parseFaultsEnv,
  renderFaultsDoc,
  SCENARIOS,
  schemaOf,
  validate,
} from '../src';
import { targets } from '../src/inject';

const DOC = path.resolve(__dirname, '../../../../docs/faults.md');

describe('the fault registry', () => {
  it('when read, then every fault has a unique name, services, a symptom and defaults inside its bounds', () => {
    assert.equal(new Set(FAULTS.map((f) => f.name)).size, FAULTS.length);
    for (const f of FAULTS) {
      assert.ok(f.services.length > 0 && f.symptom.length > 20 && f.description.length > 20, f.name);
      for (const [k, p] of Object.entries(f.params)) {
        if (p.type === 'number') assert.ok(p.default >= p.min && p.default <= p.max, `${f.name}.${k}`);
        if (p.type === 'string' && p.default !== undefined && p.choices) assert.ok(p.choices.includes(p.default), `${f.name}.${k}`);
      }
      if (f.fix?.param) assert.equal(f.params.fix?.type, 'boolean', `${f.name} has a fix switch`);
      // A fault aimed with a `service` parameter reaches exactly the services that parameter allows.
      const aim = f.params.service;
      if (aim?.type === 'string') assert.deepEqual([...f.services].sort(), [...(aim.choices ?? [])].sort(), `${f.name}: its services`);
    }
  });

  it('when every scenario is expanded with any seed, then its faults validate against the registry', () => {
    for (const s of SCENARIOS)
      for (const seed of [0, 1, 42, 99_999]) {
        const faults = s.faults(seed);
        assert.ok(Object.keys(faults).length > 0, s.name);
        for (const [name, params] of Object.entries(faults)) assert.doesNotThrow(() => validate(name, params), `${s.name}: ${name}`);
      }
  });

  it('when parameters are out of range, mistyped or unknown, then validation refuses them with a 400', () => {
    for (const bad of [{ service: 'auth', ms: -1 }, { service: 'auth', ms: 'x' }, { service: 'auth', foo: 1 }, { ms: 5 }]) {
      assert.throws(
        () => validate('latency', bad),
        (e: unknown) => e instanceof FaultInputError && e.status === 400,
      );
    }
    assert.throws(
      () => validate('nope', {}),
      (e: unknown) => e instanceof FaultInputError && e.status === 404,
    );
    assert.deepEqual(schemaOf(FAULTS[0].params).parse({ service: 'order' }), { service: 'order', ms: 500, jitter_ms: 0, probability: 1 });
  });

  it('when a value given as text is not what the parameter takes, then the refusal says what it takes', () => {
    const latency = FAULTS.find((f) => f.name === 'latency')!;
    const refusal = (raw: Record<string, string>) => {
      try {
        validate('latency', coerce(latency.params, raw));
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    assert.equal(refusal({ service: 'order', ms: 'abc' }), 'latency: ms: expected a whole number from 0 to 30000');
    assert.equal(refusal({ service: 'order', ms: '99999' }), 'latency: ms: expected a whole number from 0 to 30000');
    assert.equal(refusal({ service: 'nope' }), 'latency: service: expected one of gateway, auth, inventory, payment, order, worker');
    assert.equal(refusal({ service: 'order', ms: '250' }), 'accepted');
    // A route that no request could have is refused, not left to match nothing.
    for (const route of ['not a route !!', 'POST', 'reservations', `/${'x'.repeat(250)}`])
      assert.match(refusal({ service: 'inventory', route }), /^latency: route: expected a route such as "POST \/reservations"/, route);
    for (const route of ['POST /reservations', 'post /reservations', '/products', 'GET /products/4f1c-9a', 'order.paid'])
      assert.equal(refusal({ service: 'inventory', route }), 'accepted', route);
  });

  it('when FAULTS is set at start-up, then it is parsed with the registry; a bad entry stops the service', () => {
    assert.deepEqual(parseFaultsEnv('latency:service=inventory,ms=300; error:service=payment,rate=0.2,status=503'), {
      latency: { service: 'inventory', ms: 300, jitter_ms: 0, probability: 1 },
      error: { service: 'payment', rate: 0.2, status: 503 },
    });
    assert.throws(() => parseFaultsEnv('latency:service=inventory,ms=lots'), FaultInputError);
    assert.throws(() => parseFaultsEnv('gremlins:'), FaultInputError);
  });

  it('when a route is given, then a generic fault hits only that method and path prefix', () => {
    const p = { service: 'inventory', route: 'POST /reservations' };
    assert.ok(targets(p, 'inventory', 'POST', '/reservations'));
    assert.ok(targets(p, 'inventory', 'POST', '/reservations/123/commit'));
    assert.ok(!targets(p, 'inventory', 'GET', '/reservations'));
    assert.ok(!targets(p, 'inventory', 'POST', '/reservationsX'));
    assert.ok(!targets(p, 'payment', 'POST', '/reservations'));
    assert.ok(targets({ service: 'inventory', route: '/products' }, 'inventory', 'GET', '/products/abc'));
    assert.ok(targets({ service: 'inventory' }, 'inventory', 'GET', '/anything'));
  });
});

describe('the flags file', () => {
  it('when a fault is set, cleared or a scenario runs, then the file is flagd JSON that a second store reads', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'flags-')), 'flags.json');
    const writer = new FaultStore(file);
    writer.set('slow_query', { ms: 200 });
    const json = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(json.$schema, 'https://flagd.dev/schema/v0/flags.json');
    assert.deepEqual(json.flags.slow_query, { state: 'ENABLED', variants: { on: { ms: 200 }, off: {} }, defaultVariant: 'on' });
    const reader = new FaultStore(file, 'slow_query:ms=999;n_plus_one:').start();
    try {
      assert.equal(reader.get('slow_query')?.ms, 200, 'the file wins over FAULTS');
      assert.deepEqual(reader.get('n_plus_one'), { fix: false }, 'FAULTS fills in what the file does not mention');
      writer.clear('n_plus_one');
      assert.equal(new FaultStore(file, 'n_plus_one:').start().get('n_plus_one'), undefined, 'a fault cleared in the file stays off');
      writer.scenario('slow-checkout');
      assert.deepEqual(Object.keys(new FaultStore(file).start().active()), ['latency']);
    } finally {
      reader.stop();
    }
  });

  it('when a quest hides a fault, then the file does not show its target to a learner who opens it; the services still read it', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'flags-')), 'flags.json');
    const chosen = new FaultStore(file).scenario('slow-checkout', 7, false);
    const target = chosen.latency as { service: string; route: string };
    const text = readFileSync(file, 'utf8');
    assert.ok(!text.includes(target.route) && !text.includes(`"${target.service}"`), text);
    assert.deepEqual(new FaultStore(file).start().get('latency'), chosen.latency);
    // A revealed fault stays readable, as flagd writes it.
    new FaultStore(file).set('slow_query', { ms: 200 });
    assert.match(readFileSync(file, 'utf8'), /"ms": 200/);
  });

  it('when another process writes the file, then a running store applies it at once (no poll needed) and says which file it holds', async () => {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'flags-')), 'not-yet-made');
    const file = path.join(dir, 'flags.json');
    // A poll far longer than the test: only the folder's change events can deliver the writes.
    const reader = new FaultStore(file, undefined, 60_000).start();
    const changes: string[] = [];
    reader.onChange(() => changes.push(reader.version));
    try {
      assert.equal(reader.version, '', 'no file yet');
      const writer = new FaultStore(file);
      for (const step of [
        () => writer.set('latency', { service: 'payment', ms: 300 }),
        () => writer.clear('latency'),
        () => writer.scenario('slow-checkout'),
      ]) {
        const before = changes.length;
        step();
        for (const started = Date.now(); changes.length === before && Date.now() - started < 2000; )
          await new Promise((r) => setTimeout(r, 5));
        assert.equal(reader.version, writer.version);
        assert.equal(reader.version, flagsVersion(readFileSync(file, 'utf8')));
        assert.deepEqual(reader.active(), writer.active());
      }
      assert.equal(new Set(changes).size, changes.length, 'one change event per write, not one per file system event');
      assert.match(reader.version, /^[0-9a-f]{12}$/);
    } finally {
      reader.stop();
    }
  });

  it('when a fault is on, then every request is answered from what was validated when the file changed, not validated again', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'flags-')), 'flags.json');
    new FaultStore(file).set('latency', { service: 'payment', ms: 10 });
    const store = new FaultStore(file).start();
    try {
      const first = store.get('latency');
      assert.deepEqual(first, { service: 'payment', ms: 10, jitter_ms: 0, probability: 1 });
      assert.equal(store.get('latency'), first, 'the same object: nothing parsed or validated per call');
      new FaultStore(file).set('latency', { service: 'payment', ms: 20 });
      assert.equal(new FaultStore(file).start().get('latency')?.ms, 20, 'a change is validated when it is read');
    } finally {
      store.stop();
    }
  });

  it('when the file holds a hand-edited bad value, then that fault stays off instead of crashing', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'flags-')), 'flags.json');
    writeFileSync(
      file,
      JSON.stringify({ flags: { slow_query: { state: 'ENABLED', variants: { on: { ms: -5 } }, defaultVariant: 'on' } } }),
    );
    assert.equal(new FaultStore(file).start().get('slow_query'), undefined);
    writeFileSync(file, 'not json');
    assert.deepEqual(new FaultStore(file).start().active(), {});
  });
});

describe('docs/faults.md', () => {
  it('when compared with the registry, then it is current (regenerate with npm run docs:faults)', () => {
    assert.equal(readFileSync(DOC, 'utf8'), renderFaultsDoc());
    for (const f of FAULTS) assert.ok(renderFaultsDoc().includes(`\`${f.name}\``));
  });
});
