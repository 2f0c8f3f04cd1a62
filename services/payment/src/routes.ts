import { chargeRequest, HEADER, IDEMPOTENCY_ERROR, idempotencyKey, voidRequest } from '@tracequest/contracts';
import { badRequest, notFound, parse, pathId, requireCaller, type Verifier } from '@tracequest/service-kit';
import { Router } from 'express';
import { type ChargeDeps, chargeCard } from './charge-card';
import { refundCharge } from './refund-charge';
import { toCharge } from './views';
import { voidOrder } from './void-order';

/**
 * A charge is made during a shopper's checkout (the shopper's token, relayed by order) or by order
 * itself; reading, voiding and refunding are order's alone, as itself.
 */
export function routes(deps: ChargeDeps, verifier: Verifier): Router {
  const r = Router();
  const order = requireCaller(verifier, { services: ['order'] });
  // A shopper's token only through order: no shopper charges (or claims the key of) an order directly.
  r.post('/charges', requireCaller(verifier, { users: true, usersThrough: ['order'], services: ['order'] }), async (req, res) => {
    const key = idempotencyKey.safeParse(req.get(HEADER.IDEMPOTENCY_KEY));
    if (!key.success)
      throw badRequest('the Idempotency-Key header must be 1 to 100 characters of A-Z a-z 0-9 _ -', IDEMPOTENCY_ERROR.INVALID);
    res.status(201).json(await chargeCard(deps, key.data, parse(chargeRequest, req.body)));
  });
  r.get('/charges/:id', order, async (req, res) => {
    const charge = await deps.charges.findById(pathId(req, 'charge'));
    if (!charge) throw notFound('charge');
    res.json(toCharge(charge));
  });
  r.post('/charges/:id/refund', order, async (req, res) => {
    res.json(await refundCharge(deps.charges, pathId(req, 'charge')));
  });
  r.post('/voids', order, async (req, res) => {
    res.json(await voidOrder(deps.charges, parse(voidRequest, req.body).order_id));
  });
  return r;
}
