// Rows to wire shapes, in one place: what inventory's answers look like is declared in @tracequest/contracts.
import type { Product, Reservation } from '@tracequest/contracts';
import type { ProductRow } from './product-repository';
import type { ReservationRow } from './reservation-repository';

export const toProduct = (p: ProductRow): Product => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  price_cents: p.priceCents,
  currency: p.currency,
  available: p.stock,
});

export const toReservation = (r: ReservationRow): Reservation => ({
  id: r.id,
  order_id: r.orderId,
  status: r.status,
  expires_at: r.expiresAt.toISOString(),
  total_cents: r.items.reduce((sum, i) => sum + i.quantity * i.priceCents, 0),
  currency: r.currency,
  items: r.items.map((i) => ({ product_id: i.productId, sku: i.sku, name: i.name, quantity: i.quantity, price_cents: i.priceCents })),
});
