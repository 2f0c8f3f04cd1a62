import type { Faults } from '@tracequest/faults';
import { notFound, parse, uuidParam } from '@tracequest/service-kit';
import { Router } from 'express';
import type { Pool } from 'pg';
import { z } from 'zod';
import type { ProductRepository } from './product-repository';
import { reserveStock } from './reserve-stock';
import { commitReservation, releaseReservation } from './settle-reservation';

const item = z.strictObject({ product_id: z.uuid(), quantity: z.int().min(1).max(100) });
const reserveBody = z.strictObject({
  order_id: z.uuid(),
  items: z
    .array(item)
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.product_id)).size === items.length, 'each product may appear only once'),
});

export interface RouteDeps {
  pool: Pool;
  products: ProductRepository;
  ttlSeconds: number;
  faults?: Faults;
}

/** Path ids are UUIDs; anything else names nothing that exists, so it is a 404. */
function idOf(params: unknown, what: string): string {
  const result = uuidParam.safeParse(params);
  if (!result.success) throw notFound(what);
  return result.data.id;
}

export function routes(deps: RouteDeps): Router {
  const r = Router();
  r.get('/products', async (_req, res) => {
    res.json({ items: await deps.products.list() });
  });
  r.get('/products/:id', async (req, res) => {
    const product = await deps.products.findById(idOf(req.params, 'product'));
    if (!product) throw notFound('product');
    res.json(product);
  });
  r.post('/reservations', async (req, res) => {
    const { created, reservation } = await reserveStock(deps, parse(reserveBody, req.body));
    res.status(created ? 201 : 200).json(reservation);
  });
  r.post('/reservations/:id/commit', async (req, res) => {
    res.json(await commitReservation(deps.pool, idOf(req.params, 'reservation')));
  });
  r.post('/reservations/:id/release', async (req, res) => {
    res.json(await releaseReservation(deps.pool, idOf(req.params, 'reservation')));
  });
  return r;
}
