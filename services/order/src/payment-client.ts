import { AppError, type HttpClient } from '@tracequest/service-kit';
import { z } from 'zod';

export interface Card {
  number: string;
  exp_month: number;
  exp_year: number;
  cvc: string;
}

const chargeSchema = z.object({ id: z.uuid(), status: z.string() });
export type Charge = z.infer<typeof chargeSchema>;

/** The payment service's charge contract, over HTTP. */
export class PaymentClient {
  constructor(private readonly http: HttpClient) {}

  /** The order id is the idempotency key: a retried checkout can never charge twice. */
  async charge(orderId: string, amountCents: number, currency: string, card: Card, requestId?: string, key = orderId): Promise<Charge> {
    const { data } = await this.http.call<unknown>('POST', '/charges', {
      body: { order_id: orderId, amount_cents: amountCents, currency, card },
      headers: { 'idempotency-key': key, 'x-request-id': requestId },
    });
    const parsed = chargeSchema.safeParse(data);
    if (!parsed.success) throw new AppError(502, 'upstream_error', 'payment sent an unexpected charge');
    return parsed.data;
  }

  /** For a charge whose outcome is unknown: payment refuses it from now on, and refunds it if it was taken. */
  async voidOrder(orderId: string, requestId?: string): Promise<void> {
    await this.http.call('POST', '/voids', { body: { order_id: orderId }, headers: { 'x-request-id': requestId } });
  }

  async refund(chargeId: string, requestId?: string): Promise<void> {
    await this.http.call('POST', `/charges/${chargeId}/refund`, { headers: { 'x-request-id': requestId } });
  }
}
