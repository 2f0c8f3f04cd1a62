import path from 'node:path';
import type { ServiceClient } from '@tracequest/contracts';
import { databaseConfig, env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceConfig,
  AUTH_PORT: env.port(8081),
  ...databaseConfig,
  JWT_TTL_SECONDS: env.int(3600, 60, 86_400),
  SEED_DEMO_USERS: env.bool(true),
  // The client secrets of the services that call others as themselves (generated per install).
  ORDER_CLIENT_SECRET: env.secret(),
  WORKER_CLIENT_SECRET: env.secret(),
});

export type Config = z.infer<typeof configSchema>;
/** Each service client's secret, as auth checks them. */
export const clientSecrets = (c: Config): Record<ServiceClient, string> => ({
  order: c.ORDER_CLIENT_SECRET,
  worker: c.WORKER_CLIENT_SECRET,
});

export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);

export const SCHEMA = 'auth';
export const MIGRATIONS = path.join(__dirname, '../../migrations');
