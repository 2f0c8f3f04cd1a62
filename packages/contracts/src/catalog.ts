import { z } from 'zod';
import { cents, currency, id } from './common';

/** One line of a cart, a reservation request or an order. */
export const lineItem = z.strictObject({ product_id: id(), quantity: z.int().min(1).max(100) });
export type LineItem = z.infer<typeof lineItem>;

export const lineItems = z
  .array(lineItem)
  .min(1)
  .max(50)
  .refine((items) => new Set(items.map((i) => i.product_id)).size === items.length, 'each product may appear only once');

/** A product as the catalog shows it; `available` is the stock not yet reserved. */
export const product = z.object({
  id: z.uuid(),
  sku: z.string(),
  name: z.string(),
  price_cents: cents(),
  currency: currency(),
  available: z.int(),
});
export type Product = z.infer<typeof product>;
export const productList = z.object({ items: z.array(product) });
export type ProductList = z.infer<typeof productList>;

/** order -> inventory: a paid order the warehouse will pick; inventory acknowledges it (202). */
export const warehouseNotice = z.strictObject({ order_id: id(), items: z.array(lineItem).min(1) });
export type WarehouseNotice = z.infer<typeof warehouseNotice>;
export const noticeReceipt = z.object({ order_id: z.uuid(), accepted: z.literal(true) });
export type NoticeReceipt = z.infer<typeof noticeReceipt>;
