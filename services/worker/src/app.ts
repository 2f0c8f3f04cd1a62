import type { Faults } from '@tracequest/faults';
import { createServiceApp } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import { Router } from 'express';
import type { Pool } from 'pg';

export interface AppDeps {
  pool: Pool;
  /** Whether the consuming channel is open. */
  amqpReady: () => boolean;
  logger: Logger;
  /** For /healthz, which says which flags file the worker has loaded. */
  faults?: Faults;
}

/** Health only: the worker's work arrives from RabbitMQ, not over HTTP. */
export function createApp({ pool, amqpReady, logger, faults }: AppDeps) {
  return createServiceApp({
    logger,
    faults,
    faultRequests: false,
    routes: Router(),
    readiness: {
      postgres: () => pool.query('SELECT 1'),
      rabbitmq: async () => {
        if (!amqpReady()) throw new Error('channel not ready');
      },
    },
  });
}
