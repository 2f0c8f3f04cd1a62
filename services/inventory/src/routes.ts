import { trace } from '@opentelemetry/api';
import { type NoticeReceipt, releaseOrderRequest, reserveRequest, warehouseNotice } from '@tracequest/contracts';
import { notFound, parse, pathId, requireCaller, type Verifier } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import { Router } from 'express';
import type { ProductRepository } from './product-repository';
import { type ReserveDeps, reserveStock } from './reserve-stock';
import { commitReservation, releaseOrderReservation, releaseReservation, restockReservation } from './settle-reservation';
import { toProduct } from './views';

export interface RouteDeps extends ReserveDeps {
  products: ProductRepository;
}

/**
 * The catalogue is public. A shopper's checkout reserves stock (the shopper's token, relayed by
 * order); only order itself commits, releases or restocks it, so no shopper can take stock off the
 * shelf without paying, or free another checkout's.
 */
export function routes(deps: RouteDeps, verifier: Verifier): Router {
  const r = Router();
  // A shopper's token only through order: no shopper holds stock by calling inventory directly.
  const checkout = requireCaller(verifier, { users: true, usersThrough: ['order'], services: ['order'] });
  const order = requireCaller(verifier, { services: ['order'] });
  r.get('/products', async (_req, res) => {
    res.json({ items: (await deps.products.list()).map(toProduct) });
  });
  r.get('/products/:id', async (req, res) => {
    const product = await deps.products.findById(pathId(req, 'product'));
    if (!product) throw notFound('product');
    res.json(toProduct(product));
  });
  r.post('/reservations', checkout, async (req, res) => {
    const { created, reservation } = await reserveStock(deps, parse(reserveRequest, req.body));
    res.status(created ? 201 : 200).json(reservation);
  });
  r.post('/reservations/:id/commit', order, async (req, res) => {
    res.json(await commitReservation(deps, pathId(req, 'reservation')));
  });
  // The warehouse learns about a paid order it will pick; nothing to store here, only to note it.
  r.post('/warehouse/notices', checkout, (req, res) => {
    const notice = parse(warehouseNotice, req.body);
    trace.getActiveSpan()?.setAttribute(ATTR.ORDER_ID, notice.order_id);
    res.status(202).json({ order_id: notice.order_id, accepted: true } satisfies NoticeReceipt);
  });
  r.post('/reservations/:id/release', order, async (req, res) => {
    res.json(await releaseReservation(deps, pathId(req, 'reservation')));
  });
  // Committed stock of an order order has failed unpaid (abandoned midway): order alone may return it.
  r.post('/reservations/:id/restock', order, async (req, res) => {
    res.json(await restockReservation(deps, pathId(req, 'reservation')));
  });
  // By order id, for a caller that never got the reservation's id (its reserve call timed out).
  r.post('/reservations/release', order, async (req, res) => {
    res.json(await releaseOrderReservation(deps, parse(releaseOrderRequest, req.body).order_id));
  });
  return r;
}
