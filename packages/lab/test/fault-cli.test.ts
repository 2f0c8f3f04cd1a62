// The fault CLI against the gateway's real admin API (in-process, on a free port), as a learner runs it.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FAULTS, FaultStore, findScenario, SCENARIOS } from '@tracequest/faults';
import { createAdminApp } from '@tracequest/gateway/dist/src/admin';
import { createLogger } from '@tracequest/telemetry';
import { type Started, startApp } from '@tracequest/testkit';
import { runFaultCli } from '../src/fault';

const TOKEN = 'lab-test-admin-token-0123456789abcdef';
const store = new FaultStore(path.join(mkdtempSync(path.join(tmpdir(), 'lab-faults-')), 'flags.json')).start();
let gw: Started;

async function fault(...argv: string[]): Promise<string> {
  const lines: string[] = [];
  await runFaultCli(argv, (l) => lines.push(l));
  return lines.join('\n');
}

before(async () => {
  gw = await startApp(createAdminApp({ store, token: TOKEN, logger: createLogger('lab-test', 'silent'), ratePerMinute: 1000 }));
  process.env.ADMIN_URL = gw.url;
  process.env.ADMIN_TOKEN = TOKEN;
});
after(async () => {
  store.stop();
  await gw.close();
});

describe('npm run fault', () => {
  it('when a fault is set with key=value pairs, then the gateway holds it with its defaults and status shows it', async () => {
    assert.match(
      await fault('set', 'latency', 'service=inventory', 'ms=300'),
      /^latency on: service=inventory ms=300 jitter_ms=0 probability=1$/,
    );
    assert.deepEqual(store.active().latency, { service: 'inventory', ms: 300, jitter_ms: 0, probability: 1 });
    assert.match(await fault('status'), /^latency\s+service=inventory ms=300/m);
  });

  it('when a value is out of range or a fault unknown, then it fails with the reason and changes nothing', async () => {
    await fault('reset');
    await assert.rejects(fault('set', 'latency', 'service=inventory', 'ms=-5'), /400 invalid_fault_parameters/);
    await assert.rejects(fault('set', 'no_such_fault'), /unknown fault "no_such_fault"/);
    await assert.rejects(fault('set', 'latency', 'service'), /expected key=value/);
    assert.deepEqual(store.active(), {});
  });

  it('when a command is given a word it has no use for, then it is refused and no fault changes', async () => {
    await fault('reset');
    await fault('set', 'slow_worker', 'ms=100');
    await fault('set', 'n_plus_one');
    await assert.rejects(fault('reset', 'slow_worker'), { message: 'reset takes no argument; what is "slow_worker"?' });
    await assert.rejects(fault('clear', 'slow_worker', 'n_plus_one'), { message: 'clear takes one fault; what is "n_plus_one"?' });
    await assert.rejects(fault('status', 'now'), /status takes no argument/);
    assert.deepEqual(Object.keys(store.active()).sort(), ['n_plus_one', 'slow_worker']);
    await fault('reset');
  });

  it('when a fault is cleared, or all are, then none is left on', async () => {
    await fault('set', 'slow_worker', 'ms=100');
    await fault('set', 'n_plus_one');
    assert.equal(await fault('clear', 'slow_worker'), 'slow_worker off');
    assert.deepEqual(Object.keys(store.active()), ['n_plus_one']);
    assert.equal(await fault('clear', '--all'), 'all faults off');
    assert.deepEqual(store.active(), {});
    assert.equal(await fault('status'), 'no faults are on');
  });

  it('when a scenario is started with a seed, then its faults are on', async () => {
    const out = await fault('scenario', 'slow-checkout', 'seed=7');
    assert.match(out, /^scenario slow-checkout on:\n {2}latency/);
    const picked = findScenario('slow-checkout')!.faults(7).latency as { service: string };
    assert.equal(store.active().latency?.service, picked.service, 'the seed picks the target');
  });

  it('when a scenario is started with reveal=false, then neither the CLI nor status shows its target', async () => {
    const out = await fault('scenario', 'slow-checkout', 'seed=7', 'reveal=false');
    assert.match(out, /^scenario slow-checkout on:\n\s+latency\s+hidden=true$/);
    assert.doesNotMatch(out, /inventory|payment|order|ms=/);
    assert.match(await fault('status'), /^latency\s+hidden=true$/m);
    // The services still get the whole fault, marked hidden.
    assert.deepEqual(Object.keys(store.active()), ['latency']);
    assert.equal(store.active().latency.reveal, false);
    await assert.rejects(fault('scenario', 'slow-checkout', 'target=inventory'), /seed=N and reveal=false only/);
  });

  it('when listed as JSON, then it is the whole registry', async () => {
    const listed = JSON.parse(await fault('list', '--json'));
    assert.deepEqual(
      listed.faults.map((f: { name: string }) => f.name),
      FAULTS.map((f) => f.name),
    );
    assert.equal(listed.scenarios.length, SCENARIOS.length);
  });

  it('when the command is unknown, then it prints the usage and fails', async () => {
    await assert.rejects(fault('frobnicate'), /unknown command "frobnicate"/);
    assert.match(await fault('help'), /^usage: npm run fault -- list/);
  });

  it('when it runs in the compose container, then it names the compose command', async () => {
    process.env.FAULT_COMMAND = 'docker compose run --rm fault';
    try {
      assert.match(await fault('help'), /^usage: docker compose run --rm fault list/);
      await assert.rejects(fault('set', 'no_such_fault'), /see: docker compose run --rm fault list/);
    } finally {
      delete process.env.FAULT_COMMAND;
    }
  });

  it('when the admin token is wrong, then the gateway refuses and the CLI says so', async () => {
    process.env.ADMIN_TOKEN = 'wrong-token-for-this-test';
    try {
      // A clone's own token sent to the compose stack, most likely: the CLI says how to get the stack's.
      await assert.rejects(
        fault('status'),
        /403 forbidden: [^\n]*\n[\s\S]*docker compose exec -T gateway cat \/run\/tracequest-secrets\/admin_token/,
      );
    } finally {
      process.env.ADMIN_TOKEN = TOKEN;
    }
  });
});
