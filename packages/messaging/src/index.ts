export { AmqpConnection, type AmqpConnectionOptions } from './connection';
export { assertTopology, DLQ, DLX, EXCHANGE, QUEUE_ORDER_PAID } from './topology';
