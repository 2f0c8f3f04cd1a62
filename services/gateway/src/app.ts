import type { FaultStore, Faults } from '@tracequest/faults';
import { createServiceApp, type TokenVerifier } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import { adminRoutes } from './admin';
import type { Clients } from './clients';
import { requestContext } from './middleware';
import { routes } from './routes';

export interface AppDeps {
  clients: Clients;
  /** Checks bearer tokens against auth's published keys. */
  verifier: TokenVerifier;
  logger: Logger;
  faults?: Faults;
  /** Where the admin API writes faults, and the token it wants. */
  admin?: { store: FaultStore; token: string };
}

export function createApp({ clients, verifier, logger, faults, admin }: AppDeps) {
  // Ready when every service it routes to answers its liveness probe.
  const readiness = Object.fromEntries(Object.values(clients).map((c) => [c.service, () => c.call('GET', '/healthz', { timeoutMs: 800 })]));
  return createServiceApp({
    logger,
    routes: routes(clients, verifier),
    readiness,
    before: [requestContext],
    faults,
    admin: admin && adminRoutes(admin.store, admin.token),
  });
}
