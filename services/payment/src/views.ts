// Rows to wire shapes, in one place: what payment's answers look like is declared in @tracequest/contracts.
import type { Charge } from '@tracequest/contracts';
import type { ChargeRow } from './charge-repository';

export const toCharge = (c: ChargeRow): Charge => ({
  id: c.id,
  order_id: c.orderId,
  status: c.status,
  amount_cents: c.amountCents,
  currency: c.currency,
  card_last4: c.cardLast4,
});
