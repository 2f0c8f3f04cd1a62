// Rows to wire shapes, in one place: what order's answers look like is declared in @tracequest/contracts.
import type { Order } from '@tracequest/contracts';
import type { OrderRow } from './order-repository';

export const toOrder = (o: OrderRow): Order => ({
  id: o.id,
  status: o.status,
  total_cents: o.totalCents,
  currency: o.currency,
  items: o.items.map((i) => ({ product_id: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, price_cents: i.priceCents })),
  failure_reason: o.failureReason,
  shipment_id: o.shipmentId,
  created_at: o.createdAt.toISOString(),
  updated_at: o.updatedAt.toISOString(),
});
