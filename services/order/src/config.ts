import path from 'node:path';
import { databaseConfig, env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import { z } from 'zod';

export const configSchema = z
  .object({
    ...serviceConfig,
    ORDER_PORT: env.port(8083),
    ...databaseConfig,
    AMQP_URL: env.url(),
    AUTH_URL: env.url(),
    // Order's own client secret at auth, for the calls it makes on nobody's request (generated per install).
    ORDER_CLIENT_SECRET: env.secret(),
    INVENTORY_URL: env.url(),
    PAYMENT_URL: env.url(),
    OUTBOX_POLL_INTERVAL_MS: env.int(500, 50, 60_000),
    // An event the broker refuses this many times is parked (parked_at), so it stops blocking the rest.
    OUTBOX_MAX_ATTEMPTS: env.int(10, 1, 1000),
    // Published events are deleted once this old.
    OUTBOX_RETENTION_MS: env.int(7 * 86_400_000, 60_000, 365 * 86_400_000),
    UPSTREAM_TIMEOUT_MS: env.int(5000, 100, 120_000),
    // A checkout still pending after this long lost its process midway; it is failed and undone.
    ABANDONED_CHECKOUT_AFTER_MS: env.int(300_000, 1000, 86_400_000),
    ABANDONED_SWEEP_INTERVAL_MS: env.int(30_000, 100, 3_600_000),
    // A checkout's Idempotency-Key is remembered this long; the recovery sweep prunes older ones.
    IDEMPOTENCY_KEY_TTL_MS: env.int(86_400_000, 60_000, 30 * 86_400_000),
  })
  .refine((c) => c.ABANDONED_CHECKOUT_AFTER_MS >= 10 * c.UPSTREAM_TIMEOUT_MS, {
    path: ['ABANDONED_CHECKOUT_AFTER_MS'],
    message: 'must be at least 10 x UPSTREAM_TIMEOUT_MS, or live checkouts would be failed as abandoned',
  });

export type Config = z.infer<typeof configSchema>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);

// `order` is a reserved word in SQL.
export const SCHEMA = 'orders';
export const MIGRATIONS = path.join(__dirname, '../../migrations');
