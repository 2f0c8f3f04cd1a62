#!/usr/bin/env node
// npm run bench [-- --quick] [-- --results DIR]: starts the native stack, measures it, prints a table and writes
// bench/results/latest.json (docs/performance.md explains every number).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { vegetaBinary } from '@tracequest/load';
import { SERVICES, type ServiceName, type Stack, startStack } from '@tracequest/stack';
import { collectorCounter, machine, median, rssMb, settledCounter } from './probes';
import { judge, RESULTS_DIR, type Results, save, table } from './report';
import { maxSustainedRate, type SearchPlan } from './search';
import { logIn, spansOfTrace, tracedCheckout } from './shop';
import { checkoutStep, type LoadTarget, type StepResult } from './step';

interface Plan {
  fixedRate: number;
  fixedSeconds: number;
  /** A short run first, so the measured runs meet warm JIT and pools. */
  warmUpSeconds: number;
  coldStarts: number;
  search: SearchPlan;
}

const PLANS: Record<'full' | 'quick', Plan> = {
  full: {
    fixedRate: 50,
    fixedSeconds: 30,
    warmUpSeconds: 10,
    coldStarts: 3,
    search: { first: 10, seconds: 10, maxRate: 640, maxSteps: 8, resolution: 0.1 },
  },
  // For CI: the same keys in well under a minute; the numbers only show the bench still works.
  quick: {
    fixedRate: 5,
    fixedSeconds: 3,
    warmUpSeconds: 0,
    coldStarts: 1,
    search: { first: 4, seconds: 3, maxRate: 8, maxSteps: 2, resolution: 1 },
  },
};

// The same start order as startStack(): services without dependencies on each other together.
const WAVES: ServiceName[][] = [['auth', 'inventory', 'payment'], ['order', 'worker'], ['gateway']];

/** Stops the six services, then times their start until every one answers /readyz. */
async function coldStart(stack: Stack, telemetry: boolean): Promise<number> {
  for (const s of [...SERVICES].reverse()) await stack.stopService(s);
  const t0 = performance.now();
  for (const wave of WAVES) await Promise.all(wave.map((s) => stack.startService(s, { OTEL_SDK_DISABLED: String(!telemetry) })));
  return Math.round(performance.now() - t0);
}

function rssOfServices(stack: Stack): Record<string, number> {
  return Object.fromEntries(Object.entries(stack.pids()).map(([s, pid]) => [s, rssMb(pid!)]));
}

const round = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, results: { type: 'string', default: RESULTS_DIR } },
  });
  const mode: 'full' | 'quick' = values.quick ? 'quick' : 'full';
  const plan = PLANS[mode];
  const t0 = Date.now();
  const host = machine();
  const say = (msg: string) => console.log(`[${String(Math.round((Date.now() - t0) / 1000)).padStart(3)}s] ${msg}`);
  const describe = (label: string) => (r: StepResult) =>
    say(
      `${label} ${r.rate}/s: p95 ${round(r.p95)} ms, ${r.checkouts} checkouts, ${r.errors} errors, ${r.dropped} dropped -> ${r.sustained ? 'held' : 'not held'}`,
    );

  say(`starting the native stack (${mode} run)`);
  const stack = await startStack({ observability: true, env: { OTEL_SDK_DISABLED: 'false' } });
  try {
    const vegeta = vegetaBinary(stack.env); // before the long part: built by npm run tools -- vegeta
    const logFile = path.join(stack.logDir, 'bench-load.log');
    writeFileSync(logFile, '');
    const selfMetrics = `http://127.0.0.1:${stack.env.COLLECTOR_METRICS_PORT}/metrics`;
    const sentSpans = () => collectorCounter(selfMetrics, 'otelcol_exporter_sent_spans');

    const coldRuns: number[] = [];
    for (let i = 0; i < plan.coldStarts; i++) coldRuns.push(await coldStart(stack, true));
    say(`cold start, telemetry on: ${coldRuns.join(', ')} ms`);

    const target: LoadTarget = {
      vegeta,
      baseUrl: stack.urls.gateway,
      jaegerUrl: stack.urls.jaeger!,
      token: await logIn(stack.urls.gateway),
      logFile,
    };
    const step = (rate: number, seconds: number) => checkoutStep(target, rate, seconds);
    if (plan.warmUpSeconds) await step(25, plan.warmUpSeconds);

    const before = await sentSpans();
    const fixed = await step(plan.fixedRate, plan.fixedSeconds);
    describe('fixed')(fixed);
    const exported = (await settledCounter(sentSpans)) - before; // also waits out any backlog

    const traceId = await tracedCheckout(stack.urls.gateway, target.token);
    const byService = await spansOfTrace(stack.urls.jaeger!, traceId);
    say(`one checkout trace (${traceId}): ${JSON.stringify(byService)}`);

    // After an overload, wait for the backlog to drain: with telemetry on, until spans stop flowing.
    const on = await maxSustainedRate(step, plan.search, describe('telemetry on '), () => settledCounter(sentSpans));
    const rssOn = rssOfServices(stack);

    const coldOff = await coldStart(stack, false);
    say(`cold start, telemetry off: ${coldOff} ms`);
    if (plan.warmUpSeconds) await step(25, plan.warmUpSeconds);
    const off = await maxSustainedRate(step, plan.search, describe('telemetry off'), () => sleep(mode === 'quick' ? 500 : 5000));
    const rssOff = rssOfServices(stack);

    const partial = {
      date: new Date().toISOString(),
      mode,
      machine: host,
      max_sustained_rps_on: on.maxRate,
      max_sustained_rps_off: off.maxRate,
      overhead_ratio: off.maxRate > 0 ? Math.round((on.maxRate / off.maxRate) * 100) / 100 : 0,
      fixed_rate_rps: plan.fixedRate,
      p50_ms: round(fixed.p50),
      p95_ms: round(fixed.p95),
      p99_ms: round(fixed.p99),
      errors: fixed.errors,
      dropped: fixed.dropped,
      cold_start_ms: median(coldRuns),
      cold_start_off_ms: coldOff,
      rss_mb: rssOn,
      rss_off_mb: rssOff,
      spans_per_checkout: Object.values(byService).reduce((a, b) => a + b, 0),
      spans_per_checkout_by_service: byService,
      exported_spans_per_s: round(exported / plan.fixedSeconds),
      exported_spans_per_checkout: fixed.checkouts ? round(exported / fixed.checkouts) : 0,
      steps: { fixed, on: on.steps, off: off.steps, cold_start_runs_ms: coldRuns },
    };
    const results: Results = { ...partial, targets: judge(partial) };
    console.log(`\n${table(results)}\n`);
    say(`wrote ${save(results, values.results)}`);
  } finally {
    await stack.stop();
  }
}

main().catch((err) => {
  console.error(`bench: ${err.stack ?? err}`);
  process.exit(1);
});
