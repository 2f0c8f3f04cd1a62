import { AppError, type HttpClient } from '@tracequest/service-kit';
import { z } from 'zod';

const reservationSchema = z.object({
  id: z.uuid(),
  total_cents: z.number().int().nonnegative(),
  currency: z.string().length(3),
  items: z.array(
    z.object({
      product_id: z.uuid(),
      sku: z.string(),
      name: z.string(),
      quantity: z.number().int(),
      price_cents: z.number().int().nonnegative(),
    }),
  ),
});

export type Reservation = z.infer<typeof reservationSchema>;
export type ReservedItem = Reservation['items'][number];

/** The inventory service's reservation contract, over HTTP. */
export class InventoryClient {
  constructor(private readonly http: HttpClient) {}

  async reserve(orderId: string, items: { productId: string; quantity: number }[], requestId?: string): Promise<Reservation> {
    const body = { order_id: orderId, items: items.map((i) => ({ product_id: i.productId, quantity: i.quantity })) };
    const { data } = await this.http.call<unknown>('POST', '/reservations', { body, headers: { 'x-request-id': requestId } });
    const parsed = reservationSchema.safeParse(data);
    if (!parsed.success) throw new AppError(502, 'upstream_error', 'inventory sent an unexpected reservation');
    return parsed.data;
  }

  async commit(reservationId: string, requestId?: string): Promise<void> {
    await this.http.call('POST', `/reservations/${reservationId}/commit`, { headers: { 'x-request-id': requestId } });
  }

  async release(reservationId: string, requestId?: string): Promise<void> {
    await this.http.call('POST', `/reservations/${reservationId}/release`, { headers: { 'x-request-id': requestId } });
  }
}
