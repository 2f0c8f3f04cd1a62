import path from 'node:path';
import { databaseConfig, env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceConfig,
  INVENTORY_PORT: env.port(8082),
  ...databaseConfig,
  // Where the keys that callers' tokens are checked with come from.
  AUTH_URL: env.url(),
  RESERVATION_TTL_SECONDS: env.int(900, 1, 604_800),
  RESERVATION_SWEEP_INTERVAL_MS: env.int(5000, 100, 3_600_000),
});

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);

export const SCHEMA = 'inventory';
export const MIGRATIONS = path.join(__dirname, '../../migrations');
