// What waits in the worker's queue, asked of RabbitMQ itself.
import { QUEUE_ORDER_PAID } from '@tracequest/messaging';
import { connect } from 'amqplib';

/**
 * Messages ready in the worker's queue, on a connection of its own (the broker may have restarted
 * since the last call). Not the management API's figure: that is a statistic sampled every few
 * seconds, absent just after a restart, and can read 0 while messages wait. Throws when the broker
 * does not answer.
 */
export async function queuedMessages(amqpUrl: string): Promise<number> {
  const conn = await connect(amqpUrl);
  try {
    const channel = await conn.createChannel();
    return (await channel.checkQueue(QUEUE_ORDER_PAID)).messageCount;
  } finally {
    await conn.close().catch(() => undefined);
  }
}
