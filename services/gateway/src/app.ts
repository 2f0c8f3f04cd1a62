import type { Faults } from '@tracequest/faults';
import { createServiceApp, type TokenVerifier } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import type { Clients } from './clients';
import { requestContext } from './middleware';
import { routes } from './routes';

export interface AppDeps {
  clients: Clients;
  /** Checks bearer tokens against auth's published keys. */
  verifier: TokenVerifier;
  logger: Logger;
  faults?: Faults;
}

/** The shop's public API. The admin API has an app and a listener of its own (admin.ts). */
export function createApp({ clients, verifier, logger, faults }: AppDeps) {
  // Ready when every service it routes to answers its liveness probe.
  const readiness = Object.fromEntries(Object.values(clients).map((c) => [c.service, () => c.call('GET', '/healthz', { timeoutMs: 800 })]));
  return createServiceApp({
    logger,
    routes: routes(clients, verifier),
    readiness,
    before: [requestContext],
    faults,
  });
}
