import { type Check, Verdict } from '../context';

const CARD = '4242424242424242';

/** The leak stays in the code (for now); the pipeline makes sure no card number reaches a backend. */
export const check: Check = async (ctx) => {
  const v = new Verdict();
  const { active } = await ctx.admin.active();
  if (!active.leaky_span) return v.fail(`the leak has to stay on while you fix the pipeline: ${ctx.settings.questCommand} start 12`);
  const placed = await ctx.shop.checkout(CARD);
  const spans = (await ctx.shop.traceOf(placed.traceId, ['payment'])) ?? [];
  v.found.push(`a new checkout paid with ${CARD.slice(0, 4)}...${CARD.slice(-4)}, trace ${placed.traceId}`);
  const digits = (value: unknown) => String(value).replace(/[^0-9]/g, '');
  const leaks: string[] = [];
  for (const s of spans) {
    for (const [k, val] of Object.entries(s.tags)) if (digits(val).includes(CARD)) leaks.push(`${s.service} "${s.name}" attribute ${k}`);
    for (const e of s.events)
      for (const [k, val] of Object.entries(e.fields))
        if (digits(val).includes(CARD)) leaks.push(`${s.service} "${s.name}" event ${e.name} field ${k}`);
  }
  v.expect(
    spans.some((s) => s.service === 'payment'),
    "payment's spans are in the trace",
    "payment's spans did not arrive: is the Collector running, and is its tail sampling from quest 11 off (npm start without OTELCOL_EXTRA_CONFIG)?",
  );
  v.expect(
    leaks.length === 0,
    'no card number in any attribute or event of the trace',
    `the card number still reaches Jaeger in: ${leaks.join('; ')}`,
  );
  return v.result();
};
