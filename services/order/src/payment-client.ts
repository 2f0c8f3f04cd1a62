import { type Charge, type ChargeRequest, charge, HEADER, refundResult, type VoidRequest, voidResult } from '@tracequest/contracts';
import type { HttpClient } from '@tracequest/service-kit';

/** The payment service's charge contract, over HTTP. */
export class PaymentClient {
  constructor(private readonly http: HttpClient) {}

  /** The order id is the idempotency key: a retried checkout can never charge twice. */
  async charge(request: ChargeRequest, requestId?: string, key = request.order_id): Promise<Charge> {
    const headers = { [HEADER.IDEMPOTENCY_KEY]: key, [HEADER.REQUEST_ID]: requestId };
    return (await this.http.call('POST', '/charges', { body: request, headers, expect: charge })).data;
  }

  /** For a charge whose outcome is unknown: payment refuses it from now on, and refunds it if it was taken. */
  async voidOrder(orderId: string, requestId?: string): Promise<void> {
    const body: VoidRequest = { order_id: orderId };
    // Only order may void or refund, as itself: a shopper's token cannot.
    await this.http.call('POST', '/voids', { body, headers: { [HEADER.REQUEST_ID]: requestId }, expect: voidResult, asService: true });
  }

  async refund(chargeId: string, requestId?: string): Promise<void> {
    await this.http.call('POST', `/charges/${chargeId}/refund`, {
      headers: { [HEADER.REQUEST_ID]: requestId },
      expect: refundResult,
      asService: true,
    });
  }
}
