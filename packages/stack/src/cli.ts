#!/usr/bin/env node
// `npm start`: runs the shop natively until Ctrl-C, then stops everything in order.
import { startStack } from './index';

async function main() {
  const started = Date.now();
  const stack = await startStack();
  const u = stack.urls;
  const rows = [
    ['Shop API (gateway)', `${u.gateway}/api/products`],
    ...(stack.observability
      ? [
          ['Jaeger UI and API', `${u.jaeger}  (e.g. ${u.jaeger}/api/services)`],
          ['Span metrics', u.collectorMetrics!],
        ]
      : [['Traces', 'off: run `npm run tools` once to build the Collector and Jaeger']]),
    ['RabbitMQ UI', `http://127.0.0.1:${stack.env.RABBITMQ_UI_PORT}  (${stack.env.RABBITMQ_USER}/${stack.env.RABBITMQ_PASSWORD})`],
    ['Logs', stack.logDir],
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
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error(`tracequest: ${err.message}`);
  process.exit(1);
});
