import { z } from 'zod';
import { cents, currency, id } from './common';

/** A card as a customer enters it: the same shape in the public API and on the way to payment. */
export const card = z.strictObject({
  card_number: z.string().regex(/^\d{12,19}$/, 'must be 12 to 19 digits'),
  exp_month: z.int().min(1).max(12),
  exp_year: z.int().min(2000).max(2100),
  cvc: z.string().regex(/^\d{3,4}$/, 'must be 3 or 4 digits'),
});
export type Card = z.infer<typeof card>;

/** Sent as the Idempotency-Key header of a charge. */
export const idempotencyKey = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'must be 1 to 100 characters of A-Z a-z 0-9 _ -');

/** order -> payment: charge a card for an order. */
export const chargeRequest = z.strictObject({
  order_id: id(),
  amount_cents: z.int().min(1).max(100_000_000),
  currency: currency(),
  card,
});
export type ChargeRequest = z.infer<typeof chargeRequest>;

export const CHARGE_STATUSES = ['processing', 'succeeded', 'declined', 'failed', 'refunded'] as const;
export type ChargeStatus = (typeof CHARGE_STATUSES)[number];

/** payment -> order: a charge as the API shows it (never more of the card than its last 4 digits). */
export const charge = z.object({
  id: z.uuid(),
  order_id: z.uuid(),
  status: z.enum(CHARGE_STATUSES),
  amount_cents: cents(),
  currency: currency(),
  card_last4: z.string().length(4),
});
export type Charge = z.infer<typeof charge>;

/** order -> payment: the caller lost the answer of a charge; refuse and refund the order's charges. */
export const voidRequest = z.strictObject({ order_id: id() });
export type VoidRequest = z.infer<typeof voidRequest>;
export const voidResult = z.object({ order_id: z.uuid(), status: z.literal('voided'), refunded_charge_ids: z.array(z.uuid()) });
export type VoidResult = z.infer<typeof voidResult>;

export const refundResult = z.object({ id: z.uuid(), status: z.literal('refunded') });
export type RefundResult = z.infer<typeof refundResult>;
