import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { trace } from '@opentelemetry/api';
import type { Card } from '@tracequest/contracts';
import { type Faults, LEAKY_NOTES, leakyNote, markFault, roll } from '@tracequest/faults';
import { ATTR, EVENT, recordError, withSpan } from '@tracequest/telemetry';
import { isExpired, last4, TEST_CARDS } from './cards';

export type FailureCode = 'card_declined' | 'expired_card' | 'provider_error';
export type ProviderOutcome =
  | { status: 'succeeded' }
  | { status: 'declined'; code: 'card_declined' | 'expired_card' }
  /** reference: the network's own id for the failure, for a call to its support desk. */
  | { status: 'failed'; code: 'provider_error'; reference: string };

export const FAILURE_MESSAGES: Record<FailureCode, string> = {
  card_declined: 'the card was declined',
  expired_card: 'the card has expired',
  provider_error: 'the payment provider could not process the charge',
};

/** The card network as payment sees it; main.ts picks the implementation. */
export interface CardProvider {
  charge(card: Card, amountCents: number, currency: string): Promise<ProviderOutcome>;
}

/** What a card network answers a failure with, like NET-3F9A1C07: payment logs it, no span carries it. */
const networkReference = () => `NET-${randomBytes(4).toString('hex').toUpperCase()}`;

function decide(card: Card): ProviderOutcome {
  if (isExpired(card.exp_month, card.exp_year)) return { status: 'declined', code: 'expired_card' };
  const test = TEST_CARDS.find((c) => c.number === card.card_number);
  if (test?.outcome === 'declined') return { status: 'declined', code: test.code };
  if (test?.outcome === 'failed') return { status: 'failed', code: test.code, reference: networkReference() };
  return { status: 'succeeded' };
}

/** The payment_provider fault: a slower, failing or declining provider, at the configured rates. */
async function injected(faults: Faults | undefined, card: Card): Promise<{ extraMs: number; outcome?: ProviderOutcome }> {
  if (await faults?.get('leaky_span')) {
    // The planted leak: never do this. The Collector's transform/redact_cards step is the fix.
    markFault('leaky_span');
    // Three copies: whole (the Collector masks it already), in groups of four with spaces in an
    // attribute, and with dashes in an event, so a fix must catch groups in both.
    const span = trace.getActiveSpan();
    span?.setAttributes({
      [LEAKED_CARD_ATTRIBUTE]: card.card_number,
      [LEAKY_NOTES.attribute]: leakyNote(card.card_number, LEAKY_NOTES.span),
    });
    span?.addEvent(EVENT.CARD_CHECKED, { [LEAKY_NOTES.attribute]: leakyNote(card.card_number, LEAKY_NOTES.event) });
  }
  const f = await faults?.get('payment_provider');
  if (!f) return { extraMs: 0 };
  const failed = roll(Number(f.error_rate));
  const declined = !failed && roll(Number(f.decline_rate));
  markFault('payment_provider', {
    'fault.latency_ms': Number(f.latency_ms),
    'fault.outcome': failed ? 'failed' : declined ? 'declined' : 'normal',
  });
  if (failed)
    return { extraMs: Number(f.latency_ms), outcome: { status: 'failed', code: 'provider_error', reference: networkReference() } };
  if (declined) return { extraMs: Number(f.latency_ms), outcome: { status: 'declined', code: 'card_declined' } };
  return { extraMs: Number(f.latency_ms) };
}

export const LEAKED_CARD_ATTRIBUTE = 'shop.payment.card_number';

/** Answers like a card network by test card number, after a configurable round trip. */
export class SimulatedProvider implements CardProvider {
  constructor(
    private readonly latencyMs: number,
    private readonly faults?: Faults,
  ) {}

  charge(card: Card): Promise<ProviderOutcome> {
    return withSpan('payment.provider.charge', { [ATTR.PAYMENT_CARD_LAST4]: last4(card.card_number) }, async (span) => {
      const fault = await injected(this.faults, card);
      await sleep(this.latencyMs + fault.extraMs);
      const outcome = fault.outcome ?? decide(card);
      span.setAttribute(ATTR.PAYMENT_OUTCOME, outcome.status);
      if (outcome.status !== 'succeeded') recordError(span, new Error(FAILURE_MESSAGES[outcome.code]), outcome.code);
      return outcome;
    });
  }
}
