import { env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z.object({
  ...serviceConfig,
  GATEWAY_PORT: env.port(8080),
  AUTH_URL: env.url(),
  INVENTORY_URL: env.url(),
  ORDER_URL: env.url(),
  UPSTREAM_TIMEOUT_MS: env.int(5000, 100, 60_000),
  // The admin API: its own port, on loopback unless told (compose: its private network only).
  ADMIN_PORT: env.port(8079),
  ADMIN_HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1'),
  ADMIN_TOKEN: env.secret(),
  ADMIN_RATE_PER_MINUTE: env.int(300, 1, 100_000),
});

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);
