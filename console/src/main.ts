// The console's process: config, the app, listen, stop on SIGTERM. Deliberately without the
// telemetry preload: its own calls (to Jaeger, to the admin API) are not shop traffic, and the
// shop calls it relays keep the browser's trace context as they came.
import { labSettings } from '@tracequest/lab';
import { closeServer, trackConnections } from '@tracequest/service-kit/drain';
import { createConsoleApp } from './app';
import { readConfig } from './config';
import { RunnerQuestBook } from './runner-quests';

function main() {
  const config = readConfig();
  const log = (line: string) => console.log(`${new Date().toISOString()} ${line}`);
  // The quest runner, on the same gateway, Jaeger and token as the rest of the console; the other
  // backends (Prometheus, Tempo, Loki) and the progress file come from the environment, as for npm run quest.
  const quests = new RunnerQuestBook(
    labSettings({
      ...process.env,
      GATEWAY_URL: config.GATEWAY_URL,
      ADMIN_URL: config.ADMIN_URL,
      ADMIN_TOKEN: config.ADMIN_TOKEN,
      JAEGER_URL: config.JAEGER_QUERY_URL,
    }),
  );
  const app = createConsoleApp({ config, quests, log });
  const server = app.listen(config.CONSOLE_PORT, config.CONSOLE_LISTEN_HOST, (err?: Error) => {
    if (err) throw err;
    log(`console listening on ${config.CONSOLE_LISTEN_HOST}:${config.CONSOLE_PORT}, open ${config.CONSOLE_ORIGIN}`);
  });
  trackConnections(server);
  server.requestTimeout = 30_000;
  // A browser keeps connections open, some never used: they do not hold the stop up.
  const stop = () => void closeServer(server, 5000).then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

try {
  main();
} catch (err) {
  console.error(`console: ${(err as Error).message}`);
  process.exit(1);
}
