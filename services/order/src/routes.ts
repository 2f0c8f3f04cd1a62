import { notFound, parse, unauthorized, uuidParam } from '@tracequest/service-kit';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { fulfilOrder, getOrder, listOrders } from './orders';
import { type CheckoutDeps, placeOrder } from './place-order';

const placeOrderBody = z.strictObject({
  items: z
    .array(z.strictObject({ product_id: z.uuid(), quantity: z.number().int().min(1).max(100) }))
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((i) => i.product_id)).size === items.length, 'a product may appear only once'),
  payment: z.strictObject({
    card_number: z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits'),
    exp_month: z.number().int().min(1).max(12),
    exp_year: z.number().int().min(2000).max(2100),
    cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
  }),
});
const fulfilmentBody = z.strictObject({ shipment_id: z.uuid() });

/** The gateway has authenticated the caller and passes the user id on. */
function userId(req: Request): string {
  const parsed = z.uuid().safeParse(req.get('x-user-id'));
  if (!parsed.success) throw unauthorized('missing or invalid x-user-id');
  return parsed.data;
}

function orderId(req: Request): string {
  const parsed = uuidParam.safeParse(req.params);
  if (!parsed.success) throw notFound('order');
  return parsed.data.id;
}

export function routes(deps: CheckoutDeps): Router {
  const r = Router();
  r.post('/orders', async (req, res) => {
    const user = userId(req);
    const body = parse(placeOrderBody, req.body);
    const order = await placeOrder(deps, {
      userId: user,
      items: body.items.map((i) => ({ productId: i.product_id, quantity: i.quantity })),
      card: { number: body.payment.card_number, exp_month: body.payment.exp_month, exp_year: body.payment.exp_year, cvc: body.payment.cvc },
      requestId: req.get('x-request-id'),
    });
    res.status(201).json(order);
  });
  r.get('/orders', async (req, res) => {
    res.json(await listOrders(deps.orders, userId(req)));
  });
  r.get('/orders/:id', async (req, res) => {
    res.json(await getOrder(deps.orders, userId(req), orderId(req)));
  });
  // Internal: the worker calls this once the shipment exists.
  r.post('/orders/:id/fulfilment', async (req, res) => {
    const id = orderId(req);
    res.json(await fulfilOrder(deps.orders, id, parse(fulfilmentBody, req.body).shipment_id));
  });
  return r;
}
