import path from 'node:path';
import { databaseConfig, env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceConfig,
  AUTH_PORT: env.port(8081),
  ...databaseConfig,
  JWT_TTL_SECONDS: env.int(3600, 60, 86_400),
  SEED_DEMO_USERS: env.bool(true),
});

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);

export const SCHEMA = 'auth';
export const MIGRATIONS = path.join(__dirname, '../../migrations');
