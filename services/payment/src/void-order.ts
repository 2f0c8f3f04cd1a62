import { trace } from '@opentelemetry/api';
import type { VoidResult } from '@tracequest/contracts';
import { ATTR, EVENT, recordMoment } from '@tracequest/telemetry';
import type { ChargeRepository } from './charge-repository';

/**
 * Undoes an order's payment when its caller cannot know whether the charge went through (it timed
 * out, or lost the answer): no charge for the order is taken from now on, and any that succeeded is
 * refunded, including one still at the provider when the void arrives. Voiding twice is harmless.
 */
export async function voidOrder(charges: ChargeRepository, orderId: string): Promise<VoidResult> {
  const refunded = await charges.voidOrder(orderId);
  trace.getActiveSpan()?.setAttributes({ [ATTR.ORDER_ID]: orderId, [ATTR.PAYMENT_REFUNDED_COUNT]: refunded.length });
  for (const id of refunded) recordMoment(EVENT.CHARGE_REFUNDED, { [ATTR.PAYMENT_ID]: id, [ATTR.ORDER_ID]: orderId });
  return { order_id: orderId, status: 'voided', refunded_charge_ids: refunded };
}
