import { createServiceApp } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import { Router } from 'express';
import type { Pool } from 'pg';

export interface AppDeps {
  pool: Pool;
  /** Whether the consuming channel is open. */
  amqpReady: () => boolean;
  logger: Logger;
}

/** Health only: the worker's work arrives from RabbitMQ, not over HTTP. */
export function createApp({ pool, amqpReady, logger }: AppDeps) {
  return createServiceApp({
    logger,
    routes: Router(),
    readiness: {
      postgres: () => pool.query('SELECT 1'),
      rabbitmq: async () => {
        if (!amqpReady()) throw new Error('channel not ready');
      },
    },
  });
}
