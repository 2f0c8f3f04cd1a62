import type { HttpClient } from '@tracequest/service-kit';

/** The order service's internal fulfilment endpoint. */
export class OrderClient {
  constructor(private readonly http: HttpClient) {}

  async fulfil(orderId: string, shipmentId: string): Promise<void> {
    await this.http.call('POST', `/orders/${orderId}/fulfilment`, { body: { shipment_id: shipmentId } });
  }
}
