import path from 'node:path';
import { databaseConfig, env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceConfig,
  WORKER_PORT: env.port(8085),
  ...databaseConfig,
  AMQP_URL: env.url(),
  ORDER_URL: env.url(),
  AUTH_URL: env.url(),
  // The worker's own client secret at auth (generated per install): it calls as itself.
  WORKER_CLIENT_SECRET: env.secret(),
  WORKER_PREFETCH: env.int(10, 1, 1000),
  WORKER_MAX_ATTEMPTS: env.int(5, 1, 20),
  WORKER_RETRY_DELAY_MS: env.int(1000, 0, 60_000),
  UPSTREAM_TIMEOUT_MS: env.int(5000, 100, 120_000),
});

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);

export const SCHEMA = 'fulfilment';
export const MIGRATIONS = path.join(__dirname, '../../migrations');
