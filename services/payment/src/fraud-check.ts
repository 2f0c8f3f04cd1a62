import { ATTR, withSpan } from '@tracequest/telemetry';

/** A stand-in risk model: the larger the amount, the higher the score (0..99). */
export const fraudScore = (amountCents: number) => Math.min(99, Math.floor(Math.log10(amountCents) * 12));

/** Scores a charge before it reaches the provider; the score informs, it never blocks. */
export function checkFraud(amountCents: number): Promise<number> {
  return withSpan('payment.fraud_check', {}, async (span) => {
    const score = fraudScore(amountCents);
    span.setAttribute(ATTR.FRAUD_SCORE, score);
    return score;
  });
}
