import {
  HEADER,
  type LineItem,
  noticeReceipt,
  type Reservation,
  type ReserveRequest,
  reservation,
  reservationState,
  type WarehouseNotice,
} from '@tracequest/contracts';
import type { HttpClient } from '@tracequest/service-kit';

/** The inventory service's reservation contract, over HTTP. */
export class InventoryClient {
  constructor(private readonly http: HttpClient) {}

  async reserve(orderId: string, items: LineItem[], requestId?: string): Promise<Reservation> {
    const body: ReserveRequest = { order_id: orderId, items };
    const headers = { [HEADER.REQUEST_ID]: requestId };
    return (await this.http.call('POST', '/reservations', { body, headers, expect: reservation })).data;
  }

  async commit(reservationId: string, requestId?: string): Promise<void> {
    const headers = { [HEADER.REQUEST_ID]: requestId };
    await this.http.call('POST', `/reservations/${reservationId}/commit`, { headers, expect: reservationState });
  }

  async notify(notice: WarehouseNotice): Promise<void> {
    await this.http.call('POST', '/warehouse/notices', { body: notice, expect: noticeReceipt });
  }

  async release(reservationId: string, requestId?: string): Promise<void> {
    const headers = { [HEADER.REQUEST_ID]: requestId };
    await this.http.call('POST', `/reservations/${reservationId}/release`, { headers, expect: reservationState });
  }
}
