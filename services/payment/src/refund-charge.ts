import { trace } from '@opentelemetry/api';
import type { RefundResult } from '@tracequest/contracts';
import { conflict, notFound } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { ChargeRepository } from './charge-repository';

/** Gives a succeeded charge back; refunding twice is harmless, refunding a failure is a conflict. */
export async function refundCharge(charges: ChargeRepository, id: string): Promise<RefundResult> {
  trace.getActiveSpan()?.setAttribute(ATTR.PAYMENT_ID, id);
  if (await charges.refund(id)) return { id, status: 'refunded' };
  const charge = await charges.findById(id);
  if (!charge) throw notFound('charge');
  if (charge.status === 'refunded') return { id, status: 'refunded' };
  throw conflict('not_refundable', `a ${charge.status} charge cannot be refunded`);
}
