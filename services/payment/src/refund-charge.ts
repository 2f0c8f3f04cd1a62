import { trace } from '@opentelemetry/api';
import { conflict, notFound } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { ChargeRepository } from './charge-repository';

/** Gives a succeeded charge back; refunding twice is harmless, refunding a failure is a conflict. */
export async function refundCharge(charges: ChargeRepository, id: string) {
  trace.getActiveSpan()?.setAttribute(ATTR.PAYMENT_ID, id);
  if (await charges.refund(id)) return { id, status: 'refunded' as const };
  const charge = await charges.findById(id);
  if (!charge) throw notFound('charge');
  if (charge.status === 'refunded') return { id, status: charge.status };
  throw conflict('not_refundable', `a ${charge.status} charge cannot be refunded`);
}
