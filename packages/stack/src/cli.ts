#!/usr/bin/env node
// `npm start`: runs the shop natively until Ctrl-C, then stops everything in order.
import { parseArgs } from 'node:util';
import { consumeAsOf, LOCAL_ENV, samplingOf, startStack } from './index';
import { stopAllOnCrash } from './leftovers';

async function main() {
  parseArgs({ args: process.argv.slice(2), options: {}, strict: true });
  const started = Date.now();
  // Traces are the point: without the Collector and Jaeger this fails instead of running blind.
  const stack = await startStack({ observability: true, detached: true });
  const u = stack.urls;
  const rows = [
    ['Console', `${u.console}  (the shop, its traces, metrics and logs, the faults and the quests)`],
    ['Shop API (gateway)', `${u.gateway}/api/products`],
    ['Jaeger query API', `${u.jaeger}/api/services  (a trace: ${u.jaeger}/api/traces/<trace id>)`],
    ['Span metrics', `${u.collectorMetrics!}  (per route, with exemplars: ${u.console}/#/metrics)`],
    // The password stays in .env.local: a start log is often kept, and readable by others.
    ['RabbitMQ UI', `http://127.0.0.1:${stack.env.RABBITMQ_UI_PORT}  (user ${stack.env.RABBITMQ_USER}, RABBITMQ_PASSWORD in ${LOCAL_ENV})`],
    ['Sampling', samplingOf(stack.env)],
    ['Across the queue', consumeAsOf(stack.env)],
    ['Logs', `${stack.logDir}  (searched, each line a click from its trace: ${u.console}/#/logs)`],
    ['Quests', "npm run quest -- list  (or the console's Quests tab)"],
    ['Fault admin API', `${u.admin}/admin/faults  (npm run fault; its token is in ${LOCAL_ENV}, made for this install)`],
  ];
  console.log(`\ntracequest is ready in ${Date.now() - started} ms\n`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(20)} ${v}`);
  console.log('\nCtrl-C stops everything.\n');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('stopping...');
    await stack.stop();
    process.exit(0);
  };
  // Ctrl-C, a kill, or the terminal closing: the processes are in groups of their own, so only this
  // runner hears it, and it stops them in order (the console, the gateway ... auth, then the
  // Collector and Jaeger last, so the services' last spans still reach them).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, stop);
}

stopAllOnCrash();

main().catch((err) => {
  console.error(`tracequest: ${err.message}`);
  process.exit(1);
});
