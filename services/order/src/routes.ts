import { fulfilmentRequest, HEADER, IDEMPOTENCY_ERROR, idempotencyKey, placeOrderRequest } from '@tracequest/contracts';
import { badRequest, parse, pathId, unauthorized } from '@tracequest/service-kit';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { type CheckoutOnceDeps, checkoutOnce } from './checkout-once';
import { fulfilOrder, getOrder, listOrders } from './orders';
import { type CheckoutDeps, placeOrder } from './place-order';

const userIdHeader = z.uuid();

/** The gateway has authenticated the caller and passes the user id on. */
function userId(req: Request): string {
  const parsed = userIdHeader.safeParse(req.get(HEADER.USER_ID));
  if (!parsed.success) throw unauthorized(`missing or invalid ${HEADER.USER_ID}`);
  return parsed.data;
}

/** The client's optional Idempotency-Key: absent, every request is a new checkout. */
function keyOf(req: Request): string | undefined {
  const header = req.get(HEADER.IDEMPOTENCY_KEY);
  if (header === undefined) return undefined;
  const parsed = idempotencyKey.safeParse(header);
  if (!parsed.success) throw badRequest(`the Idempotency-Key header ${parsed.error.issues[0].message}`, IDEMPOTENCY_ERROR.INVALID);
  return parsed.data;
}

export function routes(deps: CheckoutDeps & CheckoutOnceDeps): Router {
  const r = Router();
  r.post('/orders', async (req, res) => {
    const user = userId(req);
    const body = parse(placeOrderRequest, req.body);
    const key = keyOf(req);
    const place = () => placeOrder(deps, { userId: user, items: body.items, card: body.payment, requestId: req.get(HEADER.REQUEST_ID) });
    res.status(201).json(key ? await checkoutOnce(deps, { userId: user, key, body }, place) : await place());
  });
  r.get('/orders', async (req, res) => {
    res.json(await listOrders(deps.orders, userId(req)));
  });
  r.get('/orders/:id', async (req, res) => {
    res.json(await getOrder(deps.orders, userId(req), pathId(req, 'order')));
  });
  // Internal: the worker calls this once the shipment exists.
  r.post('/orders/:id/fulfilment', async (req, res) => {
    const id = pathId(req, 'order');
    res.json(await fulfilOrder(deps.orders, id, parse(fulfilmentRequest, req.body).shipment_id));
  });
  return r;
}
