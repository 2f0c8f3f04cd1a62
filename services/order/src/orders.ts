import { trace } from '@opentelemetry/api';
import type { FulfilmentResult, Order, OrderList } from '@tracequest/contracts';
import { conflict, notFound } from '@tracequest/service-kit';
import { ATTR, counter, METRIC } from '@tracequest/telemetry';
import type { OrderRepository } from './order-repository';
import { toOrder } from './views';

export const LIST_LIMIT = 50;

/** Another user's order is answered exactly like an unknown one, so ids cannot be probed. */
export async function getOrder(orders: OrderRepository, userId: string, id: string): Promise<Order> {
  const order = await orders.find(id);
  if (!order || order.userId !== userId) throw notFound('order');
  trace.getActiveSpan()?.setAttributes({ [ATTR.ORDER_ID]: id, [ATTR.ORDER_STATUS]: order.status });
  return toOrder(order);
}

export async function listOrders(orders: OrderRepository, userId: string): Promise<OrderList> {
  return { items: (await orders.listByUser(userId, LIST_LIMIT)).map(toOrder) };
}

/** Paid becomes fulfilled once; a repeated call (a redelivered message) is answered the same way. */
export async function fulfilOrder(orders: OrderRepository, id: string, shipmentId: string): Promise<FulfilmentResult> {
  trace.getActiveSpan()?.setAttributes({ [ATTR.ORDER_ID]: id, [ATTR.SHIPMENT_ID]: shipmentId });
  const result = await orders.fulfil(id, shipmentId);
  if (!result) throw notFound('order');
  if (result.status !== 'fulfilled') throw conflict('order_not_paid', `the order is ${result.status}, not paid`);
  if (result.changed) counter(METRIC.ORDERS_FULFILLED).add(1);
  return { id, status: result.status };
}
