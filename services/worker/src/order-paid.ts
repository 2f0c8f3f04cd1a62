import { type OrderPaidEvent, orderPaidEvent } from '@tracequest/contracts';

/** The event in a message body, or undefined when the body is not one (a poison message). */
export function parseOrderPaid(content: Buffer): OrderPaidEvent | undefined {
  try {
    return orderPaidEvent.safeParse(JSON.parse(content.toString('utf8'))).data;
  } catch {
    return undefined;
  }
}
