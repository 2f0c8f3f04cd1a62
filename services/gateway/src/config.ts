import { env, loadConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  GATEWAY_PORT: env.port(8080),
  AUTH_URL: env.url(),
  INVENTORY_URL: env.url(),
  ORDER_URL: env.url(),
  UPSTREAM_TIMEOUT_MS: env.int(5000, 100, 60_000),
  ADMIN_TOKEN: env.secret(12),
  /** The flags file the admin API writes and every service watches. */
  FAULTS_FILE: z.string().min(1).optional(),
});

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);
