// loadtest/scenarios.json is the one definition of the load: the k6 scripts (through
// loadtest/lib/plan.js) and the native runner (packages/load) each read it. These tests hold the
// two readings equal, and the README's tables to the file, so neither can drift.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  checkNames,
  iterationsOf,
  k6Thresholds,
  knobsOf,
  loadDefinition,
  phasesOf,
  requestOf,
  runChecks,
  stepsOf,
  thresholdsOf,
  vusOf,
  weightsOf,
} from '@tracequest/load';
import { REPO_ROOT } from '@tracequest/stack';

const LOADTEST = path.join(REPO_ROOT, 'loadtest');
const def = loadDefinition();
const names = Object.keys(def.scenarios);
// Defaults, then knobs set the way a user sets them (k6 -e, or the environment).
const KNOB_SETS: Record<string, string>[] = [
  {},
  { WEIGHTS: 'checkOut:1' },
  { WEIGHTS: 'browse:3,logIn:1', RATE: '7', DURATION: '90s', ITERATIONS: '1', ERROR_RATE: '0.02', P95_MS: '300' },
  { BASE_RATE: '4', SPIKE_RATE: '40', HOLD: '5s', RAMP: '3s', START_RATE: '5', STEP_RATE: '5', MAX_RATE: '30', STEP: '2s', VUS: '3' },
  { BASE_URL: 'http://127.0.0.1:8080/', JAEGER_URL: 'https://jaeger.example:16686/ui//' },
];
const DRAWS = { anyProduct: 'p-1', plentifulProduct: 'p-2', demoUser: def.data.demoUsers[1], card: def.data.card };
// loadtest/lib/plan.js is plain JavaScript (checked by tsc -p loadtest), untyped here.
let k6: any;

before(async () => {
  k6 = await import(pathToFileURL(path.join(LOADTEST, 'lib/plan.js')).href);
});

describe('loadtest/scenarios.json', () => {
  it('when a scenario is defined, then a k6 script opens the file for it, and the native runner runs it or says why not', () => {
    const scripts = readdirSync(LOADTEST).filter((f) => f.endsWith('.js'));
    assert.deepEqual(scripts.sort(), names.map((n) => def.scenarios[n].script).sort(), 'one script per scenario, none without one');
    for (const name of names) {
      const source = readFileSync(path.join(LOADTEST, def.scenarios[name].script), 'utf8');
      assert.ok(source.includes(`scenario(open('./scenarios.json'), '${name}')`), `${def.scenarios[name].script} reads "${name}"`);
      if (def.scenarios[name].native) continue;
      const steps = stepsOf(def, name, knobsOf(def, name, {}));
      assert.ok(steps.length > 0 && steps.every((s) => s.rate > 0 && s.count > 0), `${name} natively`);
      assert.ok(thresholdsOf(def, name, knobsOf(def, name, {})).length > 0);
    }
    const native = names.filter((n) => !def.scenarios[n].native);
    for (const must of ['smoke', 'checkout-mix', 'checkout-rate']) assert.ok(native.includes(must), must);
  });

  it('when k6 and the native runner read a scenario, then they find the same knobs, weights, phases, VUs and thresholds', () => {
    for (const name of names)
      for (const env of KNOB_SETS) {
        const knobs = knobsOf(def, name, env);
        const at = `${name} with ${JSON.stringify(env)}`;
        assert.deepEqual(k6.knobsOf(def, name, env), knobs, at);
        assert.deepEqual(k6.weightsOf(def, name, knobs), weightsOf(def, name, knobs), at);
        assert.deepEqual(k6.phasesOf(def, name, knobs), phasesOf(def, name, knobs), at);
        assert.equal(k6.iterationsOf(def, name, knobs), iterationsOf(def, name, knobs), at);
        assert.deepEqual(k6.vusOf(def, name, knobs), vusOf(def, name, knobs), at);
        assert.deepEqual(k6.thresholdsOf(def, name, knobs), k6Thresholds(def, name, knobs), at);
        // k6's options carry exactly those thresholds, and as long a run as the native attacks.
        const options = k6.k6Options(def, name, knobs);
        assert.deepEqual(options.thresholds, k6Thresholds(def, name, knobs), at);
        if (!def.scenarios[name].native && !iterationsOf(def, name, knobs)) {
          const run = Object.values(options.scenarios as Record<string, { duration?: string; stages?: { duration: string }[] }>)[0];
          const k6Ms = run.stages
            ? run.stages.reduce((a, s) => a + k6.durationMs(s.duration === '0s' ? '0ms' : s.duration), 0)
            : k6.durationMs(run.duration);
          const nativeMs = stepsOf(def, name, knobs).reduce((a, s) => a + s.durationMs, 0);
          assert.ok(Math.abs(k6Ms - nativeMs) < 1, `${at}: k6 ${k6Ms} ms, native ${nativeMs} ms`);
        }
      }
  });

  it('when an address knob is given, then both readings drop a trailing slash and refuse what is not http(s)', () => {
    const env = { BASE_URL: 'http://127.0.0.1:8080/', JAEGER_URL: 'https://jaeger.example:16686/ui//' };
    for (const read of [knobsOf, k6.knobsOf]) {
      const knobs = read(def, 'smoke', env);
      assert.equal(knobs.BASE_URL, 'http://127.0.0.1:8080');
      assert.equal(knobs.JAEGER_URL, 'https://jaeger.example:16686/ui');
      for (const bad of ['file:///etc/passwd', 'localhost:8080', 'http://', 'http://a b', 'javascript:alert(1)'])
        assert.throws(() => read(def, 'smoke', { BASE_URL: bad }), {
          message: `BASE_URL must be an http:// or https:// address, got "${bad}"`,
        });
    }
  });

  it('when a knob asks for more than the limits, then both readings refuse it and name it; derived VUs stop at the limit', () => {
    const { rate, vus } = def.limits;
    const refused: [string, Record<string, string>, RegExp][] = [
      ['checkout-rate', { RATE: '1e9' }, /checkout-rate: 1000000000 requests a second in phase "steady"; the most is 2000/],
      ['checkout-mix', { RATE: String(rate + 1) }, /the most is 2000 \(limits\.rate/],
      ['spike', { SPIKE_RATE: '5000' }, /spike: 5000 requests a second in phase "rise"/],
      ['stress', { MAX_RATE: '1e9', STEP_RATE: '1e7' }, /stress: .* requests a second in phase ".*\/s"; the most is 2000/],
      ['checkout-rate', { VUS: String(vus + 1) }, /VUS: at most 2000 \(limits\.vus in loadtest\/scenarios\.json\), got 2001/],
      ['checkout-mix', { MAX_VUS: '1e6' }, /MAX_VUS: at most 2000/],
    ];
    for (const [name, env, message] of refused) {
      const at = `${name} with ${JSON.stringify(env)}`;
      assert.throws(() => vusOf(def, name, knobsOf(def, name, env)), message, `native: ${at}`);
      assert.throws(() => k6.vusOf(def, name, knobsOf(def, name, env)), message, `k6: ${at}`);
      assert.throws(() => k6.k6Options(def, name, knobsOf(def, name, env)), message, `k6 options: ${at}`);
    }
    // At the limit itself: allowed, and the rule's 2 workers per request a second stop at the limit.
    const knobs = knobsOf(def, 'checkout-rate', { RATE: String(rate) });
    assert.deepEqual(vusOf(def, 'checkout-rate', knobs), { preAllocated: rate / 4, max: vus });
    assert.deepEqual(k6.vusOf(def, 'checkout-rate', knobs), vusOf(def, 'checkout-rate', knobs));
  });

  it('when the knobs would send nothing, then both readings refuse them and say why, instead of a run that passes', () => {
    const refused: [string, Record<string, string>, RegExp][] = [
      ['checkout-rate', { RATE: '0' }, /checkout-rate: every phase has a rate of 0: nothing would be sent/],
      ['checkout-mix', { RATE: '0' }, /every phase has a rate of 0/],
      ['smoke', { ITERATIONS: '0' }, /smoke: each task must run at least once, got 0/],
      [
        'stress',
        { START_RATE: '500', MAX_RATE: '10' },
        /stress: a climb of 1 to 1000 steps \(START_RATE\.\.MAX_RATE by STEP_RATE\), got 500\.\.10 by 10/,
      ],
      ['checkout-rate', { DURATION: '0s' }, /a duration must be longer than 0, got "0s"/],
    ];
    for (const [name, env, message] of refused) {
      const at = `${name} with ${JSON.stringify(env)}`;
      const knobs = knobsOf(def, name, env);
      assert.throws(() => stepsOf(def, name, knobs), message, `native: ${at}`);
      assert.throws(() => k6.k6Options(def, name, knobs), message, `k6: ${at}`);
    }
    // A spike may start from 0: only a plan with no request at all is refused.
    assert.ok(phasesOf(def, 'spike', knobsOf(def, 'spike', { BASE_RATE: '0' })).some((p) => p.rate > 0));
  });

  it('when k6 and the native runner build a request and check its answer, then they agree', () => {
    const answers = [
      { status: 200, body: '{"items":[{"id":"p-1"}],"id":"p-1","token_type":"Bearer","access_token":"t","status":"paid"}' },
      { status: 201, body: '{"status":"paid","items":[]}' },
      { status: 201, body: '{"status":"failed"}' },
      { status: 409, body: '{"error":{"code":"out_of_stock"}}' },
      { status: 200, body: 'not json' },
      { status: 0, body: '' },
    ];
    for (const task of Object.keys(def.tasks)) {
      assert.deepEqual(k6.requestOf(def, task, DRAWS), requestOf(def, task, DRAWS), task);
      assert.deepEqual(k6.checkNames(def, task), checkNames(def, task), task);
      for (const a of answers)
        for (const type of ['application/json; charset=utf-8', 'text/plain']) {
          const res = { status: a.status, json: () => JSON.parse(a.body), header: (h: string) => (h === 'content-type' ? type : '') };
          const native = runChecks(def, task, DRAWS, res);
          assert.deepEqual(k6.runChecks(def, task, DRAWS, res), native, `${task} on ${a.status} ${a.body} (${type})`);
          assert.deepEqual(Object.keys(native), checkNames(def, task));
        }
    }
    const ok = runChecks(def, 'checkOut', DRAWS, { status: 201, json: () => ({ status: 'paid' }), header: () => '' });
    assert.deepEqual(ok, { 'checkOut: 201': true, 'checkOut: paid': true });
  });

  it("when loadtest/README.md lists the weights and the latency budgets, then they are the definition's", () => {
    const readme = readFileSync(path.join(LOADTEST, 'README.md'), 'utf8');
    const table = (heading: string) => {
      const section = new RegExp(`\\n## ${heading}\\n([\\s\\S]*?)(\\n## |$)`).exec(readme)?.[1] ?? '';
      return [...section.matchAll(/^\| `(\w+)` \|(.*)\|\s*$/gm)].map((m) => [m[1], m[2].split('|').map((c) => c.trim())] as const);
    };
    const weights = Object.fromEntries(table('The mix').map(([t, cells]) => [t, Number(cells.at(-1))]));
    assert.deepEqual(weights, def.weights);
    const budgets = Object.fromEntries(
      table('Thresholds').map(([t, cells]) => [t, { p95: parseInt(cells[0], 10), p99: parseInt(cells[1], 10) }]),
    );
    assert.deepEqual(budgets, def.budgets);
  });
});
