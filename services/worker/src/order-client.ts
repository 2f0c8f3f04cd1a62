import { type FulfilmentRequest, fulfilmentResult } from '@tracequest/contracts';
import type { HttpClient } from '@tracequest/service-kit';

/** The order service's internal fulfilment endpoint. */
export class OrderClient {
  constructor(private readonly http: HttpClient) {}

  async fulfil(orderId: string, shipmentId: string): Promise<void> {
    const body: FulfilmentRequest = { shipment_id: shipmentId };
    await this.http.call('POST', `/orders/${orderId}/fulfilment`, { body, expect: fulfilmentResult });
  }
}
