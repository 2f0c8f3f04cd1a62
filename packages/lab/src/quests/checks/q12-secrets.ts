import { randomInt } from 'node:crypto';
import { LEAKY_NOTES, leakyNote } from '@tracequest/faults';
import type { ProbeSpan } from '../../collector';
import type { FlatSpan } from '../../jaeger';
import { type Check, TAIL_SAMPLING_OFF, Verdict } from '../context';

/**
 * A card number the check has never used, with a valid checksum: a rule written for one number (the
 * test card's) does not pass, only one for card numbers does. 16 digits (Visa) or 15 (Amex, 37...):
 * payment writes both in groups of four, so a rule for four groups of four misses the second.
 */
export function randomCard(length: 15 | 16 = 16): string {
  const prefix = length === 15 ? [3, 7] : [4];
  const digits = [...prefix, ...Array.from({ length: length - 1 - prefix.length }, () => randomInt(10))];
  // The Luhn check digit: double every second digit from the right of the final number.
  const sum = digits.reduceRight((acc, d, i) => {
    const doubled = (digits.length - i) % 2 === 1 ? d * 2 : d;
    return acc + (doubled > 9 ? doubled - 9 : doubled);
  }, 0);
  return [...digits, (10 - (sum % 10)) % 10].join('');
}

const NOTE = LEAKY_NOTES.attribute;
/** The service the check's own span claims: not the shop's, as the next service to make the same mistake. */
export const PROBE_SERVICE = 'quest-12-check';

/** The check's own span: payment's notes, with `card` in them, from a service that is not the shop's. */
export const probeSpan = (card: string): ProbeSpan => ({
  service: PROBE_SERVICE,
  name: 'payment.provider.charge',
  attributes: { [NOTE]: leakyNote(card, LEAKY_NOTES.span) },
  event: { name: 'shop.payment.card_checked', attributes: { [NOTE]: leakyNote(card, LEAKY_NOTES.event) } },
});

/**
 * The rule must hold in the pipeline, for every service: a fix in payment's code (or a rule only for
 * payment) stops these two checkouts' leak and no other. So the check sends a span of its own to the
 * Collector, from another service, carrying a new card number in the same notes, and reads it back.
 */
async function probeLeaks(ctx: Parameters<Check>[0]): Promise<{ traceId: string; leaks: string[] } | undefined> {
  const card = randomCard(16);
  const traceId = await ctx.collector.send(probeSpan(card));
  const spans = await ctx.shop.traceOf(traceId, [PROBE_SERVICE]);
  return spans?.length ? { traceId, leaks: leaksOf(card, spans) } : undefined;
}

/**
 * An id shaped like the shop's own (a UUID) whose digits run on across its dashes: 195-0134-4650-
 * 8333-50 is 17 digits with dashes between some of them, inside a longer word. The check sends it as
 * baggage (shop.campaign, copied onto every span) and wants it back untouched: a rule that matches
 * inside a word takes it for a card number, and the shop's ids with it (about 1 in 50 UUIDs).
 */
export const ID_PROBE = '8eb2f195-0134-4650-8333-50b9b6132465';
/** What a card rule may match of an id, at its word boundaries: an id like this is judged by the probe. */
const CARD_LIKE = /\b[0-9](?:[ -]?[0-9]){12,18}\b/;

/**
 * A note as payment wrote it, its number replaced: masked, not lost. What replaces it may keep the
 * last four digits ("**** 4242"), as receipts do, and no more.
 */
function masked(value: unknown, { before, after }: { before: string; after: string }): boolean {
  if (typeof value !== 'string' || !value.startsWith(before) || !value.endsWith(after)) return false;
  const middle = value.slice(before.length, value.length - after.length);
  return middle.length > 0 && middle.replace(/[^0-9]/g, '').length <= 4;
}

/** Where a card number still shows in a trace: each attribute or event field whose digits hold it. */
function leaksOf(card: string, spans: FlatSpan[]): string[] {
  const digits = (value: unknown) => String(value).replace(/[^0-9]/g, '');
  const leaks: string[] = [];
  for (const s of spans) {
    for (const [k, val] of Object.entries(s.tags)) if (digits(val).includes(card)) leaks.push(`${s.service} "${s.name}" attribute ${k}`);
    for (const e of s.events)
      for (const [k, val] of Object.entries(e.fields))
        if (digits(val).includes(card)) leaks.push(`${s.service} "${s.name}" event ${e.name} field ${k}`);
  }
  return leaks;
}

/** The leak stays in the code (for now); the pipeline makes sure no card number reaches a backend. */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const { active } = await ctx.admin.active();
  if (!active.leaky_span) return v.fail(`the leak has to stay on while you fix the pipeline: ${ctx.settings.questCommand} start 12`);
  // Two checkouts, a 16-digit card and a 15-digit one, each with the id probe in its baggage.
  const paid = await Promise.all(
    ([16, 15] as const).map(async (length) => {
      const card = randomCard(length);
      const placed = await ctx.shop.checkout(card, { baggage: `shop.campaign=${ID_PROBE}` });
      const spans = (await ctx.shop.traceOf(placed.traceId, ['payment'])) ?? [];
      return { card, placed, spans, leaks: leaksOf(card, spans) };
    }),
  );
  v.found.push(
    `two new checkouts paid with cards never used before: ${paid.map(({ card, placed }) => `${card.slice(0, 4)}...${card.slice(-4)} (${card.length} digits, trace ${placed.traceId})`).join(' and ')}`,
  );
  v.expect(
    paid.every(({ spans }) => spans.some((s) => s.service === 'payment')),
    "payment's spans are in both traces",
    `payment's spans did not arrive: is the Collector running, and is its tail sampling from quest 11 off (${TAIL_SAMPLING_OFF})?`,
  );
  for (const { card, placed, leaks } of paid)
    v.expect(
      leaks.length === 0,
      `no ${card.length}-digit card number in any attribute or event of its trace`,
      // Where the copies are is step 2 of the quest: the learner finds them in that trace.
      `the ${card.length}-digit card number still reaches Jaeger, ${leaks.length === 1 ? 'in one place' : `in ${leaks.length} places`} of trace ${placed.traceId}: look for it in every attribute and event of its spans`,
    );
  if (paid.some(({ leaks }) => leaks.length)) return v.result();
  const probe = await probeLeaks(ctx).catch((err: Error) => err);
  if (probe instanceof Error || !probe)
    return v.fail(
      `the check sent a span of its own to the Collector (${ctx.settings.collectorUrl}) and ${probe ? `could not: ${probe.message}` : 'it did not reach Jaeger'}. Is the Collector running, and is its tail sampling from quest 11 off (${TAIL_SAMPLING_OFF})?`,
    );
  if (
    !v.expect(
      probe.leaks.length === 0,
      `a span of another service (${PROBE_SERVICE}, sent by the check straight to the Collector) has its card number masked too`,
      `a span of another service (${PROBE_SERVICE}), sent by the check straight to the Collector with a new card number in the same notes, reached Jaeger with the number (trace ${probe.traceId}): the rule has to be in the Collector, for every service. A fix in payment's code protects payment only`,
    )
  )
    return v.result();
  // Masked, not dropped: what the span says stays readable, only the number goes. (A rule that
  // deletes the attributes would also delete the next team's useful ones.)
  const charges = paid.map(({ spans }) => spans.find((s) => s.service === 'payment' && s.name === 'payment.provider.charge'));
  // A rule that drops the span (a filter processor) or renames it leaks nothing and keeps nothing.
  if (charges.some((c) => !c))
    return v.missing.length
      ? v.result()
      : v.fail(
          "payment.provider.charge is gone from a checkout's trace: your rule drops or renames the span instead of masking the number in it. Keep the span, replace the number only",
        );
  v.expect(
    charges.every((c) => masked(c!.tags[NOTE], LEAKY_NOTES.span) && c!.events.some((e) => masked(e.fields[NOTE], LEAKY_NOTES.event))),
    'the notes are still there, only the number masked',
    `what payment wrote is gone or reworded instead of masked (${NOTE} on payment.provider.charge or its event): replace the number only, keep the words around it`,
  );
  // Only card numbers: a rule wide enough to catch any run of digits takes ids and the last four
  // digits with it, which the next person reading the trace needs.
  const damaged = new Set<string>();
  for (const [i, { card, placed, spans }] of paid.entries()) {
    const charge = charges[i]!;
    const orderId = String((placed.body as { id?: unknown } | undefined)?.id);
    if (charge.tags['shop.payment.card_last4'] !== card.slice(-4)) damaged.add('shop.payment.card_last4 on payment.provider.charge');
    // An order id a card rule may match whole (1 in 800) says nothing about the rule: the probe does.
    if (!CARD_LIKE.test(orderId) && !spans.some((s) => s.tags['shop.order.id'] === orderId)) damaged.add(`shop.order.id (${orderId})`);
    if (charge.tags['shop.campaign'] !== ID_PROBE)
      damaged.add(
        `shop.campaign (${ID_PROBE}, an id like the shop's, sent as baggage by the check; it arrived as ${JSON.stringify(charge.tags['shop.campaign'] ?? null)})`,
      );
  }
  v.expect(
    damaged.size === 0,
    'the order ids, an id like them and the last four digits are untouched',
    `your rule masks more than card numbers: ${[...damaged].join(' and ')} ${damaged.size === 1 ? 'is' : 'are'} no longer what the services wrote. Match 13 to 19 digits, in groups or not, nothing shorter, and not inside a longer word such as an id (\\b at both ends)`,
  );
  return v.result();
};
