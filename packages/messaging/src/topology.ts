import { ORDER_PAID } from '@tracequest/contracts';
import type { Channel } from 'amqplib';

/** The shop's one topic exchange: services publish domain events here by type. */
export const EXCHANGE = 'shop.events';
/** The worker's queue for order.paid; rejected messages move to the DLQ through the DLX. */
export const QUEUE_ORDER_PAID = 'worker.order-paid';
export const DLX = 'shop.events.dlx';
export const DLQ = 'worker.order-paid.dlq';

/** Declares exchanges, queues and bindings; safe to call on every (re)connect. */
export async function assertTopology(channel: Channel): Promise<void> {
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true });
  await channel.assertExchange(DLX, 'fanout', { durable: true });
  await channel.assertQueue(DLQ, { durable: true });
  await channel.bindQueue(DLQ, DLX, '');
  await channel.assertQueue(QUEUE_ORDER_PAID, { durable: true, arguments: { 'x-dead-letter-exchange': DLX } });
  await channel.bindQueue(QUEUE_ORDER_PAID, EXCHANGE, ORDER_PAID);
}
