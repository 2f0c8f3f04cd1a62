import { randomInt } from 'node:crypto';
import { type Check, TAIL_SAMPLING_OFF, Verdict } from '../context';

/**
 * A card number of 16 digits the check has never used, with a valid checksum: a rule written for
 * one number (the test card's) does not pass, only one for card numbers does.
 */
export function randomCard(): string {
  const digits = [4, ...Array.from({ length: 14 }, () => randomInt(10))];
  // The Luhn check digit: double every second digit from the right of the final number.
  const sum = digits.reduceRight((acc, d, i) => {
    const doubled = (digits.length - i) % 2 === 1 ? d * 2 : d;
    return acc + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

/** The attribute the planted leak writes its grouped copies into (on the span and on an event). */
const NOTE = 'shop.payment.note';

/** The leak stays in the code (for now); the pipeline makes sure no card number reaches a backend. */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const { active } = await ctx.admin.active();
  if (!active.leaky_span) return v.fail(`the leak has to stay on while you fix the pipeline: ${ctx.settings.questCommand} start 12`);
  const card = randomCard();
  const placed = await ctx.shop.checkout(card);
  const spans = (await ctx.shop.traceOf(placed.traceId, ['payment'])) ?? [];
  v.found.push(`a new checkout paid with a card never used before, ${card.slice(0, 4)}...${card.slice(-4)}, trace ${placed.traceId}`);
  const digits = (value: unknown) => String(value).replace(/[^0-9]/g, '');
  const leaks: string[] = [];
  for (const s of spans) {
    for (const [k, val] of Object.entries(s.tags)) if (digits(val).includes(card)) leaks.push(`${s.service} "${s.name}" attribute ${k}`);
    for (const e of s.events)
      for (const [k, val] of Object.entries(e.fields))
        if (digits(val).includes(card)) leaks.push(`${s.service} "${s.name}" event ${e.name} field ${k}`);
  }
  v.expect(
    spans.some((s) => s.service === 'payment'),
    "payment's spans are in the trace",
    `payment's spans did not arrive: is the Collector running, and is its tail sampling from quest 11 off (${TAIL_SAMPLING_OFF})?`,
  );
  v.expect(
    leaks.length === 0,
    'no card number in any attribute or event of the trace',
    // Where the copies are is step 2 of the quest: the learner finds them in that trace.
    `the card number still reaches Jaeger, ${leaks.length === 1 ? 'in one place' : `in ${leaks.length} places`} of trace ${placed.traceId}: look for it in every attribute and event of its spans`,
  );
  // Masked, not dropped: what the span says stays readable, only the number goes. (A rule that
  // deletes the attributes would also delete the next team's useful ones.)
  const charge = spans.find((s) => s.service === 'payment' && s.name === 'payment.provider.charge');
  const kept = (value: unknown) => typeof value === 'string' && /[A-Za-z]/.test(value);
  if (charge && leaks.length === 0)
    v.expect(
      kept(charge.tags[NOTE]) && charge.events.some((e) => kept(e.fields[NOTE])),
      'the notes are still there, with the number masked',
      `what payment wrote is gone instead of masked (${NOTE} on payment.provider.charge or its event): replace the number, do not delete the attribute`,
    );
  return v.result();
};
