import { z } from 'zod';

/** The order.paid event as the order service publishes it; extra fields are tolerated. */
export const orderPaidSchema = z.object({
  event_id: z.uuid(),
  type: z.literal('order.paid'),
  order_id: z.uuid(),
  user_id: z.uuid(),
  total_cents: z.number().int().nonnegative(),
  currency: z.string().length(3),
  items: z.array(z.object({ product_id: z.uuid(), quantity: z.number().int().positive() })).min(1),
  occurred_at: z.iso.datetime({ offset: true }),
});

export type OrderPaid = z.infer<typeof orderPaidSchema>;

/** The event in a message body, or undefined when the body is not one (a poison message). */
export function parseOrderPaid(content: Buffer): OrderPaid | undefined {
  try {
    const result = orderPaidSchema.safeParse(JSON.parse(content.toString('utf8')));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}
