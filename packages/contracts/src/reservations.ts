import { z } from 'zod';
import { lineItems } from './catalog';
import { cents, currency, id, timestamp } from './common';

/** order -> inventory: hold stock for every item of an order, or for none. */
export const reserveRequest = z.strictObject({ order_id: id(), items: lineItems });
export type ReserveRequest = z.infer<typeof reserveRequest>;

export const RESERVATION_STATUSES = ['held', 'committed', 'released', 'expired'] as const;
export type ReservationStatus = (typeof RESERVATION_STATUSES)[number];

export const reservedItem = z.object({
  product_id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  quantity: z.int().min(1),
  price_cents: cents(),
});
export type ReservedItem = z.infer<typeof reservedItem>;

/** inventory -> order: the reservation, with the prices it was made at. */
export const reservation = z.object({
  id: z.uuid(),
  order_id: z.uuid(),
  status: z.enum(RESERVATION_STATUSES),
  expires_at: timestamp(),
  total_cents: cents(),
  currency: currency(),
  items: z.array(reservedItem),
});
export type Reservation = z.infer<typeof reservation>;

/** The answer to commit and release. */
export const reservationState = z.object({ id: z.uuid(), status: z.enum(RESERVATION_STATUSES) });
export type ReservationState = z.infer<typeof reservationState>;

/**
 * order -> inventory: release whatever the order holds, by order id, when the answer to its reserve
 * call was lost (a timeout): the reservation may exist without order knowing its id.
 */
export const releaseOrderRequest = z.strictObject({ order_id: id() });
export type ReleaseOrderRequest = z.infer<typeof releaseOrderRequest>;
export const releaseOrderResult = z.object({ order_id: z.uuid(), reservation_id: z.uuid(), status: z.enum(RESERVATION_STATUSES) });
export type ReleaseOrderResult = z.infer<typeof releaseOrderResult>;
