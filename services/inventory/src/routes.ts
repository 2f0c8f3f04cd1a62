import { reserveRequest } from '@tracequest/contracts';
import { notFound, parse, pathId } from '@tracequest/service-kit';
import { Router } from 'express';
import type { ProductRepository } from './product-repository';
import { type ReserveDeps, reserveStock } from './reserve-stock';
import { commitReservation, releaseReservation } from './settle-reservation';
import { toProduct } from './views';

export interface RouteDeps extends ReserveDeps {
  products: ProductRepository;
}

export function routes(deps: RouteDeps): Router {
  const r = Router();
  r.get('/products', async (_req, res) => {
    res.json({ items: (await deps.products.list()).map(toProduct) });
  });
  r.get('/products/:id', async (req, res) => {
    const product = await deps.products.findById(pathId(req, 'product'));
    if (!product) throw notFound('product');
    res.json(toProduct(product));
  });
  r.post('/reservations', async (req, res) => {
    const { created, reservation } = await reserveStock(deps, parse(reserveRequest, req.body));
    res.status(created ? 201 : 200).json(reservation);
  });
  r.post('/reservations/:id/commit', async (req, res) => {
    res.json(await commitReservation(deps, pathId(req, 'reservation')));
  });
  r.post('/reservations/:id/release', async (req, res) => {
    res.json(await releaseReservation(deps, pathId(req, 'reservation')));
  });
  return r;
}
