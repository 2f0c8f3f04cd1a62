#!/usr/bin/env node
// npm run chaos [-- --quick] [-- --results DIR]: faults injected one after another under a constant
// checkout load, then the invariants checked against the databases. Prints the table, writes
// bench/results/chaos.json and (full runs) docs/reliability.md; exits 1 if an invariant fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { cleanUpOnSignals, SERVICES, startStack } from '@tracequest/stack';
import { Pool } from 'pg';
import { runOptions } from '../options';
import { Audit, type RunProduct } from './audit';
import { dropCollector, type Fault, killService, restartPostgres, restartRabbitmq } from './faults';
import { OpenLoop } from './load';
import { type ChaosResults, markdown, publish, RESULTS_DIR, save } from './report';
import { checkoutOf, clearShelves, signUp, stockShelves } from './shoppers';
import { answeredAt, isError, keptCharges, type Phase, rows, total, verdicts } from './verdicts';

interface Plan {
  rate: number;
  baselineMs: number;
  settleMs: number;
  scarceStock: number;
  faults: Fault[];
}

const PLANS: Record<'full' | 'quick', Plan> = {
  full: {
    rate: 15,
    baselineMs: 10_000,
    settleMs: 12_000,
    scarceStock: 40,
    faults: [...SERVICES.map((s) => killService(s)), restartRabbitmq(5000), restartPostgres(5000), dropCollector(10_000)],
  },
  // The test suite's run: one kill and a broker restart, in about a minute.
  quick: { rate: 10, baselineMs: 3000, settleMs: 6000, scarceStock: 10, faults: [killService('order'), restartRabbitmq(3000)] },
};

// Short enough that the sweep runs before the audit; the config wants it 10x the upstream timeout.
const RECOVERY = { UPSTREAM_TIMEOUT_MS: '1000', ABANDONED_CHECKOUT_AFTER_MS: '10000', ABANDONED_SWEEP_INTERVAL_MS: '500' };

const USAGE = `usage: npm run chaos [-- --quick] [-- --results DIR]

  --quick          one kill and a RabbitMQ restart at a low rate: the short run the tests play
  --results DIR    where chaos.json goes (default: bench/results)

A full run rewrites the results in docs/reliability.md.`;

async function main() {
  const values = runOptions('chaos', USAGE, RESULTS_DIR);
  const mode: 'full' | 'quick' = values.quick ? 'quick' : 'full';
  const plan = PLANS[mode];
  const t0 = Date.now();
  const say = (msg: string) => console.log(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(3)}s] ${msg}`);

  say(`starting the native stack (${mode} run: ${plan.faults.length} faults at ${plan.rate} checkouts/s)`);
  // A flags file of the run's own: no fault left on by an earlier session leaks in.
  const faultsDir = mkdtempSync(path.join(tmpdir(), 'tracequest-chaos-'));
  const removeFaultsDir = () => rmSync(faultsDir, { recursive: true, force: true });
  const stack = await startStack({
    observability: true,
    console: false,
    env: { FAULTS_FILE: path.join(faultsDir, 'faults.json') },
    serviceEnv: { order: RECOVERY },
  }).catch((err) => {
    removeFaultsDir();
    throw err;
  });
  const e = stack.env;
  const db = new Pool({ connectionString: e.DATABASE_URL, max: 1 });
  db.on('error', () => undefined);
  // The run's products, once on the shelves: taken off again however the run ends.
  const products: RunProduct[] = [];
  const cleanUp = cleanUpOnSignals('chaos', async () => {
    await clearShelves(db, products).catch((err) => console.error(`chaos: could not remove the run's products: ${err.message}`));
    await db.end();
    await stack.stop();
    removeFaultsDir();
  });
  const rabbit = { amqpUrl: e.AMQP_URL, port: e.RABBITMQ_UI_PORT, user: e.RABBITMQ_USER, password: e.RABBITMQ_PASSWORD };
  try {
    products.push(...(await stockShelves(db, 100_000, plan.scarceStock)));
    const shoppers = await signUp(stack.urls.gateway, 8);
    const audit = new Audit(e.DATABASE_URL, rabbit, shoppers.ids, products);
    const load = new OpenLoop({
      gateway: stack.urls.gateway,
      rate: plan.rate,
      maxInFlight: 200,
      timeoutMs: 10_000,
      next: checkoutOf(shoppers, products),
    }).start();

    const phases: Phase[] = [];
    const phase = async (fault: string, inject: () => Promise<string | undefined>, settleMs: number) => {
      const p: Phase = { fault, startedAt: Date.now(), faultEndedAt: 0, endedAt: 0 };
      phases.push(p);
      p.note = await inject();
      p.faultEndedAt = Date.now();
      await sleep(settleMs);
      p.endedAt = Date.now();
      p.stock = await retry(() => audit.stock());
      const seen = load.answers.filter((a) => answeredAt(a) >= p.startedAt);
      const note = p.note ? ` (${p.note})` : '';
      say(
        `${fault}${note}: ${seen.length} answered, ${seen.filter(isError).length} errors, undone after ${p.faultEndedAt - p.startedAt} ms`,
      );
    };
    await phase('none (baseline)', async () => undefined, plan.baselineMs);
    for (const f of plan.faults) await phase(f.name, () => f.inject(stack), plan.settleMs);

    const answers = await load.stop();
    say(`load stopped: ${answers.length} checkouts; waiting for the outbox, the queue and the sweep`);
    const left = await audit.settle(Number(RECOVERY.ABANDONED_CHECKOUT_AFTER_MS) + 30_000);
    const facts = await audit.facts(answers, stack.urls.gateway, shoppers.tokens);
    await audit.close();

    const rs = rows(answers, phases, facts);
    const vs = verdicts(answers, phases, facts);
    const byStatus: Record<string, number> = {};
    for (const a of answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1;
    const results: ChaosResults = {
      date: new Date().toISOString(),
      mode,
      rate: plan.rate,
      machine: { cpus: cpus().length, node: process.version },
      answers: byStatus,
      errors: answers.filter(isError),
      phases: phases.map(({ stock: _, ...p }) => p),
      rows: rs,
      total: total(rs, facts),
      left,
      kept: keptCharges(answers, facts),
      verdicts: vs,
      ok: vs.every((v) => v.ok || v.finding),
    };
    console.log(`\n${markdown(results)}\n`);
    say(`wrote ${save(results, values.results)}`);
    if (mode === 'full') {
      publish(results);
      say('wrote docs/reliability.md');
    }
    if (!results.ok) {
      console.error(`chaos: ${vs.filter((v) => !v.ok && !v.finding).length} invariant(s) failed`);
      process.exitCode = 1;
    }
  } finally {
    await cleanUp();
  }
}

/** A read right after a database restart may meet a dropped connection: try again a few times. */
async function retry<T>(fn: () => Promise<T>, times = 10): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= times) throw err;
      await sleep(500);
    }
  }
}

main().catch((err) => {
  console.error(`chaos: ${err.stack ?? err}`);
  process.exit(2);
});
