import type { Faults } from '@tracequest/faults';
import { createServiceApp, type Verifier } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import type { Pool } from 'pg';
import { IdempotencyKeyRepository } from './idempotency-key-repository';
import type { InventoryClient } from './inventory-client';
import { OrderRepository } from './order-repository';
import type { PaymentClient } from './payment-client';
import { routes } from './routes';
import type { WarehouseNotices } from './warehouse-notices';

export interface AppDeps {
  pool: Pool;
  inventory: InventoryClient;
  payment: PaymentClient;
  logger: Logger;
  faults?: Faults;
  notices?: WarehouseNotices;
  /** Checks callers' tokens against auth's keys. */
  verifier: Verifier;
  /** How long a checkout's Idempotency-Key is remembered (a day by default). */
  idempotencyKeyTtlMs?: number;
}

export const DAY_MS = 86_400_000;

/** Readiness is Postgres only: with RabbitMQ down, checkouts still succeed and wait in the outbox. */
export function createApp({ pool, inventory, payment, logger, faults, notices, verifier, idempotencyKeyTtlMs = DAY_MS }: AppDeps) {
  const keys = new IdempotencyKeyRepository(pool);
  const deps = { inventory, payment, logger, faults, notices, orders: new OrderRepository(pool), keys, keyTtlMs: idempotencyKeyTtlMs };
  return createServiceApp({ logger, faults, routes: routes(deps, verifier), readiness: { postgres: () => pool.query('SELECT 1') } });
}
