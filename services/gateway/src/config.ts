import { env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceConfig,
  GATEWAY_PORT: env.port(8080),
  AUTH_URL: env.url(),
  INVENTORY_URL: env.url(),
  ORDER_URL: env.url(),
  UPSTREAM_TIMEOUT_MS: env.int(5000, 100, 60_000),
  ADMIN_TOKEN: env.secret(12),
});

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);
