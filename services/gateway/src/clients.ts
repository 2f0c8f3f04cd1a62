import type { Faults } from '@tracequest/faults';
import { HttpClient } from '@tracequest/service-kit';
import type { Config } from './config';

export interface Clients {
  auth: HttpClient;
  inventory: HttpClient;
  order: HttpClient;
}

export const createClients = (
  c: Pick<Config, 'AUTH_URL' | 'INVENTORY_URL' | 'ORDER_URL' | 'UPSTREAM_TIMEOUT_MS'>,
  faults?: Faults,
): Clients => ({
  auth: new HttpClient('auth', c.AUTH_URL, c.UPSTREAM_TIMEOUT_MS, faults),
  inventory: new HttpClient('inventory', c.INVENTORY_URL, c.UPSTREAM_TIMEOUT_MS, faults),
  order: new HttpClient('order', c.ORDER_URL, c.UPSTREAM_TIMEOUT_MS, faults),
});
