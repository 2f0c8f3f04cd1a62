import { z } from 'zod';
import { lineItems } from './catalog';
import { cents, currency, id, timestamp } from './common';
import { card } from './payments';

/** client -> gateway -> order: a checkout. */
export const placeOrderRequest = z.strictObject({ items: lineItems, payment: card });
export type PlaceOrderRequest = z.infer<typeof placeOrderRequest>;

export const ORDER_STATUSES = ['pending', 'paid', 'failed', 'fulfilled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orderItem = z.object({
  product_id: z.uuid(),
  sku: z.string().nullable(),
  name: z.string().nullable(),
  quantity: z.int().min(1),
  price_cents: cents().nullable(),
});
export type OrderItem = z.infer<typeof orderItem>;

/** An order as its owner sees it. */
export const order = z.object({
  id: z.uuid(),
  status: z.enum(ORDER_STATUSES),
  total_cents: cents().nullable(),
  currency: currency().nullable(),
  items: z.array(orderItem),
  failure_reason: z.string().nullable(),
  shipment_id: z.uuid().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export type Order = z.infer<typeof order>;
export const orderList = z.object({ items: z.array(order) });
export type OrderList = z.infer<typeof orderList>;

/** worker -> order: the order's shipment exists. */
export const fulfilmentRequest = z.strictObject({ shipment_id: id() });
export type FulfilmentRequest = z.infer<typeof fulfilmentRequest>;
export const fulfilmentResult = z.object({ id: z.uuid(), status: z.enum(ORDER_STATUSES) });
export type FulfilmentResult = z.infer<typeof fulfilmentResult>;

/** The most calls order makes to payment's /charges in one checkout: the first and up to 20 retries (the retry_storm fault's most). */
export const MAX_CHARGE_ATTEMPTS = 21;
/** What order may sleep between charge attempts in one checkout, in all (backoff, a charge still in progress). */
export const CHARGE_RETRY_WAITS_MS = 5_000;

/**
 * The longest order can take over a checkout when each of its calls waits out its timeout: the
 * reservation, every charge attempt, the commit and two compensations, one after another, plus its
 * retry waits. The gateway waits longer than this, so it never gives up on a checkout still running.
 */
export function checkoutBudgetMs(upstreamTimeoutMs: number): number {
  const calls = 1 + MAX_CHARGE_ATTEMPTS + 1 + 2;
  return calls * upstreamTimeoutMs + CHARGE_RETRY_WAITS_MS + 1_000;
}
