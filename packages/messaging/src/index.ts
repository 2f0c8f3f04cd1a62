export { EXCHANGE, ROUTING_KEY_ORDER_PAID, QUEUE_ORDER_PAID, DLX, DLQ, assertTopology } from './topology';
export { AmqpConnection, type AmqpConnectionOptions } from './connection';
