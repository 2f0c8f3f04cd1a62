import { fulfilmentRequest, HEADER, IDEMPOTENCY_ERROR, idempotencyKey, placeOrderRequest } from '@tracequest/contracts';
import { badRequest, callingUser, parse, pathId, requireCaller, type Verifier } from '@tracequest/service-kit';
import { type Request, Router } from 'express';
import { type CheckoutOnceDeps, checkoutOnce } from './checkout-once';
import { fulfilOrder, getOrder, listOrders } from './orders';
import { type CheckoutDeps, placeOrder } from './place-order';

/** The client's optional Idempotency-Key: absent, every request is a new checkout. */
function keyOf(req: Request): string | undefined {
  const header = req.get(HEADER.IDEMPOTENCY_KEY);
  if (header === undefined) return undefined;
  const parsed = idempotencyKey.safeParse(header);
  if (!parsed.success) throw badRequest(`the Idempotency-Key header ${parsed.error.issues[0].message}`, IDEMPOTENCY_ERROR.INVALID);
  return parsed.data;
}

/** Shoppers come with their own token (relayed by the gateway) and only ever see their own orders. */
export function routes(deps: CheckoutDeps & CheckoutOnceDeps, verifier: Verifier): Router {
  const r = Router();
  const shopper = requireCaller(verifier, { users: true });
  r.post('/orders', shopper, async (req, res) => {
    const user = callingUser(res.locals);
    const body = parse(placeOrderRequest, req.body);
    const key = keyOf(req);
    const place = (onCreated?: (orderId: string) => Promise<void>) =>
      placeOrder(deps, { userId: user, items: body.items, card: body.payment, requestId: req.get(HEADER.REQUEST_ID), onCreated });
    res.status(201).json(key ? await checkoutOnce(deps, { userId: user, key, body }, place) : await place());
  });
  r.get('/orders', shopper, async (_req, res) => {
    res.json(await listOrders(deps.orders, callingUser(res.locals)));
  });
  r.get('/orders/:id', shopper, async (req, res) => {
    res.json(await getOrder(deps.orders, callingUser(res.locals), pathId(req, 'order')));
  });
  // Internal: the worker calls this once the shipment exists, with its own service token.
  r.post('/orders/:id/fulfilment', requireCaller(verifier, { services: ['worker'] }), async (req, res) => {
    const id = pathId(req, 'order');
    res.json(await fulfilOrder(deps.orders, id, parse(fulfilmentRequest, req.body).shipment_id));
  });
  return r;
}
