import { createHash } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { type Charge, type ChargeRequest, IDEMPOTENCY_ERROR } from '@tracequest/contracts';
import { AppError, conflict } from '@tracequest/service-kit';
import { ATTR, counter, EVENT, type Logger, METRIC, recordMoment } from '@tracequest/telemetry';
import { last4, luhnValid } from './cards';
import { ALREADY_CHARGED, type ChargeRepository, type ChargeRow } from './charge-repository';
import { checkFraud } from './fraud-check';
import { type CardProvider, FAILURE_MESSAGES, type FailureCode } from './provider';
import { toCharge } from './views';

export interface ChargeDeps {
  charges: ChargeRepository;
  provider: CardProvider;
  /** How long a `processing` claim may sit before the same request may take it over. */
  staleAfterMs: number;
  logger: Logger;
}

/** A stored charge as its HTTP answer: the charge itself, or the error it ended with. */
function outcomeOf(charge: ChargeRow): Charge {
  if (charge.status === 'processing') throw conflict('charge_in_progress', 'a charge with this idempotency key is still in progress');
  if (charge.failureCode === ALREADY_CHARGED) throw alreadyCharged();
  const code = (charge.failureCode ?? 'provider_error') as FailureCode;
  if (charge.status === 'declined') throw new AppError(402, code, FAILURE_MESSAGES[code], true);
  if (charge.status === 'failed') throw new AppError(502, code, FAILURE_MESSAGES[code]);
  return toCharge(charge);
}

/**
 * Charges a card once per idempotency key. The key is claimed by inserting the row first, so
 * concurrent retries cannot both reach the provider; a retry replays the stored outcome.
 */
export async function chargeCard(deps: ChargeDeps, idempotencyKey: string, input: ChargeRequest): Promise<Charge> {
  if (!luhnValid(input.card.card_number)) throw new AppError(400, 'invalid_card_number', 'the card number is not valid');
  const span = trace.getActiveSpan();
  span?.setAttribute(ATTR.ORDER_ID, input.order_id);
  const cardLast4 = last4(input.card.card_number);
  const requestHash = createHash('sha256')
    .update(JSON.stringify([input.order_id, input.amount_cents, input.currency, cardLast4]))
    .digest('hex');
  const claimed = await deps.charges.insertProcessing(
    {
      idempotencyKey,
      requestHash,
      orderId: input.order_id,
      amountCents: input.amount_cents,
      currency: input.currency,
      cardLast4,
    },
    deps.staleAfterMs,
  );
  if (!claimed) return replay(await deps.charges.findByKey(idempotencyKey), requestHash, () => deps.charges.isVoided(input.order_id));
  span?.setAttribute(ATTR.PAYMENT_ID, claimed.id);
  if (claimed.reclaimed) span?.addEvent(EVENT.STALE_CHARGE_RECLAIMED, { [ATTR.PAYMENT_ID]: claimed.id });
  // An order is paid once: a second key for it (a retry that lost its answer) must not charge again.
  // (Two claims racing past this both reach the provider; the database then keeps one success.)
  if (claimed.orderPaid) {
    await deps.charges.finish(claimed.id, 'failed', ALREADY_CHARGED);
    throw alreadyCharged();
  }
  await checkFraud(input.amount_cents);
  const outcome = await deps.provider.charge(input.card, input.amount_cents, input.currency);
  if (outcome.status === 'declined') counter(METRIC.PAYMENTS_DECLINED).add(1, { [ATTR.ERROR_TYPE]: outcome.code });
  // The network's reference is what its support desk asks for: in payment's log (with the trace
  // id the logger adds), on no span. Quest 15 goes from the trace back to this line for it.
  if (outcome.status === 'failed')
    deps.logger.warn(
      { order_id: input.order_id, payment_id: claimed.id, provider_ref: outcome.reference },
      'the card network failed the charge',
    );
  const code = outcome.status === 'succeeded' ? null : outcome.code;
  const finished = await deps.charges.finishOnce(claimed.id, outcome.status, code);
  if (!finished) {
    // Another key's charge for this order succeeded meanwhile; the database refused a second one.
    recordMoment(EVENT.CHARGE_REFUNDED, { [ATTR.PAYMENT_ID]: claimed.id, [ATTR.ORDER_ID]: input.order_id });
    throw alreadyCharged();
  }
  if (outcome.status === 'succeeded' && finished.status === 'refunded') {
    // The order was voided while the card network had it: finish wrote the success as refunded.
    // Its caller usually gave up long ago, so the server span may be over: keep the moment anyway.
    recordMoment(EVENT.CHARGE_REFUNDED, { [ATTR.PAYMENT_ID]: claimed.id, [ATTR.ORDER_ID]: input.order_id });
    throw orderVoided();
  }
  return outcomeOf(finished);
}

const alreadyCharged = () => conflict(ALREADY_CHARGED, 'the order already has a succeeded charge');
const orderVoided = () => conflict('order_voided', 'the order was voided: its charges are refused, and refunded if taken');

async function replay(existing: ChargeRow | undefined, requestHash: string, voided: () => Promise<boolean>) {
  if (!existing) {
    if (await voided()) throw orderVoided();
    throw new Error('idempotency key conflicted but no charge holds it');
  }
  if (existing.requestHash !== requestHash)
    throw conflict(IDEMPOTENCY_ERROR.REUSED, 'this idempotency key was used for a different request');
  const span = trace.getActiveSpan();
  span?.setAttributes({ [ATTR.PAYMENT_IDEMPOTENT_REPLAY]: true, [ATTR.PAYMENT_ID]: existing.id });
  return outcomeOf(existing);
}
