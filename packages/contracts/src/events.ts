import { z } from 'zod';
import { cents, currency, timestamp } from './common';
import { reservedItem } from './reservations';

/** Event types double as routing keys on the shop's topic exchange. */
export const ORDER_PAID = 'order.paid';

/** order -> (outbox, RabbitMQ) -> worker: an order was paid and its stock committed. */
export const orderPaidEvent = z.object({
  event_id: z.uuid(),
  type: z.literal(ORDER_PAID),
  order_id: z.uuid(),
  user_id: z.uuid(),
  total_cents: cents(),
  currency: currency(),
  items: z.array(reservedItem).min(1),
  occurred_at: timestamp(),
});
export type OrderPaidEvent = z.infer<typeof orderPaidEvent>;
