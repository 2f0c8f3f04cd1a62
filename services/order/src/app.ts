import type { Faults } from '@tracequest/faults';
import { createServiceApp, type Verifier } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import type { Pool } from 'pg';
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
}

/** Readiness is Postgres only: with RabbitMQ down, checkouts still succeed and wait in the outbox. */
export function createApp({ pool, inventory, payment, logger, faults, notices, verifier }: AppDeps) {
  const deps = { inventory, payment, logger, faults, notices, orders: new OrderRepository(pool) };
  return createServiceApp({ logger, faults, routes: routes(deps, verifier), readiness: { postgres: () => pool.query('SELECT 1') } });
}
