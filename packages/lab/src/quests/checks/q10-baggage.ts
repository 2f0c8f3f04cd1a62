import { type Check, submittedTrace, Verdict } from '../context';
import { SERVICES, workerLinkedAway } from './common';

const KEY = 'shop.campaign';

const decoded = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Something only the edge knew (the campaign), on every span down to the worker, through baggage. */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  const answer = input.answer?.trim();
  if (!answer) return v.fail('the campaign you sent in baggage: --answer <value>');
  // A baggage value travels percent-encoded and the spans carry it decoded: either spelling is the value.
  const value = decoded(answer);
  const missingIn = SERVICES.filter((svc) => !spans.some((s) => s.service === svc && s.tags[KEY] === value));
  const other = [...new Set(spans.map((s) => s.tags[KEY]).filter((t) => t !== undefined && t !== value))];
  if (
    !v.expect(
      spans.some((s) => s.tags[KEY] === value),
      `${KEY}=${value} on the trace's spans`,
      other.length
        ? `no span carries ${KEY}=${value}; this trace carries ${other.map((t) => `${KEY}=${t}`).join(', ')}: give the value you sent`
        : `no span carries ${KEY}=${value}: send the checkout with the header baggage: ${KEY}=${encodeURIComponent(value)}`,
    )
  )
    // Nowhere at all: which services lack it says nothing more.
    return v.result();
  v.expect(
    missingIn.length === 0,
    'on spans of all six services, the worker included',
    workerLinkedAway(spans) ??
      `not on any span of ${missingIn.join(', ')}: a checkout whose trace reaches every service (wait for the worker)`,
  );
  return v.result();
};
