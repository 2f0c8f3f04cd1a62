import {
  HEADER,
  type LineItem,
  noticeReceipt,
  type ReleaseOrderRequest,
  type Reservation,
  type ReserveRequest,
  releaseOrderResult,
  reservation,
  reservationState,
  type WarehouseNotice,
} from '@tracequest/contracts';
import type { HttpClient } from '@tracequest/service-kit';

/**
 * The inventory service's reservation contract, over HTTP. The shopper's token goes with the
 * reservation; what moves held stock for good (commit) or frees it (release) is order's own call,
 * so a shopper's token alone cannot take stock off the shelf or free another checkout's.
 */
export class InventoryClient {
  constructor(private readonly http: HttpClient) {}

  async reserve(orderId: string, items: LineItem[], requestId?: string): Promise<Reservation> {
    const body: ReserveRequest = { order_id: orderId, items };
    const headers = { [HEADER.REQUEST_ID]: requestId };
    return (await this.http.call('POST', '/reservations', { body, headers, expect: reservation })).data;
  }

  async commit(reservationId: string, requestId?: string): Promise<void> {
    const headers = { [HEADER.REQUEST_ID]: requestId };
    await this.http.call('POST', `/reservations/${reservationId}/commit`, { headers, expect: reservationState, asService: true });
  }

  async notify(notice: WarehouseNotice): Promise<void> {
    await this.http.call('POST', '/warehouse/notices', { body: notice, expect: noticeReceipt });
  }

  /** For a reserve call whose answer was lost: releases whatever the order holds, by its id. */
  async releaseOrder(orderId: string, requestId?: string): Promise<void> {
    const body: ReleaseOrderRequest = { order_id: orderId };
    await this.http.call('POST', '/reservations/release', {
      body,
      headers: { [HEADER.REQUEST_ID]: requestId },
      expect: releaseOrderResult,
      asService: true,
    });
  }

  /** Committed stock of an order failed unpaid goes back on the shelf; as order itself, never a shopper. */
  async restock(reservationId: string): Promise<void> {
    await this.http.call('POST', `/reservations/${reservationId}/restock`, { expect: reservationState, asService: true });
  }

  async release(reservationId: string, requestId?: string): Promise<void> {
    const headers = { [HEADER.REQUEST_ID]: requestId };
    await this.http.call('POST', `/reservations/${reservationId}/release`, { headers, expect: reservationState, asService: true });
  }
}
