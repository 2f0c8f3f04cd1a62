import { badRequest, notFound, parse, uuidParam } from '@tracequest/service-kit';
import { Router } from 'express';
import { z } from 'zod';
import { type ChargeDeps, chargeCard, chargeView } from './charge-card';
import { refundCharge } from './refund-charge';
import { voidOrder } from './void-order';

const idempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
const card = z.strictObject({
  number: z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits'),
  exp_month: z.int().min(1).max(12),
  exp_year: z.int().min(2000).max(2100),
  cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
});
const chargeBody = z.strictObject({
  order_id: z.uuid(),
  amount_cents: z.int().min(1).max(100_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD'),
  card,
});
const voidBody = z.strictObject({ order_id: z.uuid() });

/** Path ids are UUIDs; anything else names nothing that exists, so it is a 404. */
function idOf(params: unknown): string {
  const result = uuidParam.safeParse(params);
  if (!result.success) throw notFound('charge');
  return result.data.id;
}

export function routes(deps: ChargeDeps): Router {
  const r = Router();
  r.post('/charges', async (req, res) => {
    const key = idempotencyKey.safeParse(req.get('idempotency-key'));
    if (!key.success)
      throw badRequest('the Idempotency-Key header must be 1 to 100 characters of A-Z a-z 0-9 _ -', 'invalid_idempotency_key');
    res.status(201).json(await chargeCard(deps, key.data, parse(chargeBody, req.body)));
  });
  r.get('/charges/:id', async (req, res) => {
    const charge = await deps.charges.findById(idOf(req.params));
    if (!charge) throw notFound('charge');
    res.json(chargeView(charge));
  });
  r.post('/charges/:id/refund', async (req, res) => {
    res.json(await refundCharge(deps.charges, idOf(req.params)));
  });
  r.post('/voids', async (req, res) => {
    res.json(await voidOrder(deps.charges, parse(voidBody, req.body).order_id));
  });
  return r;
}
