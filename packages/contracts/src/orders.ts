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
