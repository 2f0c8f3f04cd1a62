import { connected } from '../../jaeger';
import { type Check, submittedTrace, Verdict } from '../context';
import { entryOf, SERVICES, workerLinkedAway } from './common';

/**
 * A checkout's trace, read whole: it enters the shop at the gateway's POST /api/orders (the root,
 * or under the browser's spans for a checkout made in the console), a 201, all six services, one tree.
 */
export const check: Check = async (ctx, input) => {
  const v = new Verdict();
  const spans = await submittedTrace(ctx, input, v);
  if (!spans) return v.result();
  const entry = entryOf(spans);
  const isCheckout = v.expect(
    entry?.service === 'gateway' && entry.kind === 'server' && entry.name === 'POST /api/orders',
    "it enters the shop at the gateway's POST /api/orders server span",
    `it enters the shop at ${entry ? `${entry.service} "${entry.name}"` : 'no span of the shop'}: submit the trace of a checkout (POST /api/orders)`,
  );
  // Another request's trace: what a checkout's would hold is beside the point.
  if (!isCheckout) return v.result();
  // A declined or failed checkout never reaches the worker: waiting for its spans would not help.
  if (
    !v.expect(
      String(entry?.tags['http.response.status_code']) === '201',
      'the checkout succeeded (201)',
      'that checkout did not answer 201: use one that went through (the test card 4242 4242 4242 4242)',
    )
  )
    return v.result();
  const absent = SERVICES.filter((s) => !spans.some((x) => x.service === s));
  v.expect(
    absent.length === 0,
    'spans of all six services',
    workerLinkedAway(spans) ??
      `no spans of ${absent.join(', ')} yet: wait a few seconds (the worker ships the order after the answer) and check again`,
  );
  v.expect(
    connected(spans),
    'one tree: every span has its parent in the trace',
    'some spans have no parent in the trace yet: wait a moment and check again',
  );
  return v.result();
};
