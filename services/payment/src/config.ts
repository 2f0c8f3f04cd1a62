import path from 'node:path';
import { databaseConfig, env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceConfig,
  PAYMENT_PORT: env.port(8084),
  ...databaseConfig,
  // Where the keys that callers' tokens are checked with come from.
  AUTH_URL: env.url(),
  // The simulated card network's round trip, so the provider span has a visible width.
  PROVIDER_LATENCY_MS: env.int(20, 0, 10_000),
  // A charge still `processing` after this long lost its process; a retry of it may take it over.
  CHARGE_STALE_AFTER_MS: env.int(120_000, 1000, 86_400_000),
});

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);

export const SCHEMA = 'payment';
export const MIGRATIONS = path.join(__dirname, '../../migrations');
