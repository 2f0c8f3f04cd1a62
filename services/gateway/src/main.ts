import { metrics } from '@opentelemetry/api';
import { FAULTS, FaultStore, Faults } from '@tracequest/faults';
import { closeServer, handleShutdown, listen, runMain, TokenVerifier } from '@tracequest/service-kit';
import { createLogger, METRIC } from '@tracequest/telemetry';
import { createAdminApp } from './admin';
import { createApp } from './app';
import { createClients } from './clients';
import { readConfig } from './config';

runMain('gateway', async () => {
  const config = readConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const faults = await Faults.start('gateway', config);
  const store = new FaultStore(config.FAULTS_FILE).start();
  // One gauge per fault (1 = on), so dashboards can show what is broken right now.
  metrics
    .getMeter('tracequest')
    .createObservableGauge(METRIC.FAULTS_ACTIVE, { description: 'faults currently on (1) or off (0)' })
    .addCallback((r) => {
      for (const f of FAULTS) r.observe(store.get(f.name) ? 1 : 0, { fault: f.name });
    });
  const app = createApp({
    clients: createClients(config, faults),
    verifier: new TokenVerifier(config.AUTH_URL),
    logger,
    faults,
  });
  const { server, port } = await listen(app, config.GATEWAY_PORT, config.HOST);
  const adminApp = createAdminApp({ store, token: config.ADMIN_TOKEN, logger, ratePerMinute: config.ADMIN_RATE_PER_MINUTE });
  const admin = await listen(adminApp, config.ADMIN_PORT, config.ADMIN_HOST);
  logger.info({ port, admin_port: admin.port }, 'gateway listening');
  handleShutdown(logger, [
    { name: 'http', close: () => closeServer(server) },
    { name: 'admin-http', close: () => closeServer(admin.server) },
    {
      name: 'faults',
      close: () => {
        faults.close();
        store.stop();
      },
    },
  ]);
});
