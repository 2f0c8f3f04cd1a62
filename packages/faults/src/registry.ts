import type { ParamSpec } from './params';

export const SERVICES = ['gateway', 'auth', 'inventory', 'payment', 'order', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export const HOPS = [
  'gateway->auth',
  'gateway->inventory',
  'gateway->order',
  'order->inventory',
  'order->payment',
  'order->worker',
  'worker->order',
  'worker->auth',
] as const;

export interface FaultDef {
  name: string;
  title: string;
  description: string;
  services: readonly ServiceName[];
  /** Where it acts: routes, a step, a query. */
  where: string;
  params: ParamSpec;
  /** What a learner sees in Jaeger or Grafana when it is on. */
  symptom: string;
  /** How the real-world problem is fixed; `param: 'fix'` when a switch applies that fix at runtime. */
  fix?: { description: string; param?: 'fix' /** The config file the fix goes in. */; config?: string };
}

const service = (services: readonly string[] = SERVICES) =>
  ({ type: 'string', choices: services, description: 'the service it applies to' }) as const;
const route = {
  type: 'string',
  optional: true,
  maxLength: 200,
  // A route as the services match it: a path prefix, maybe after a method; or the worker's step.
  // (Escaped so that browsers, which read a pattern attribute in the v mode, take it too.)
  pattern: '(?:[A-Za-z]{3,7} )?\\/[A-Za-z0-9\\/_\\.\\~\\-]*|order\\.paid',
  shape: 'a route such as "POST /reservations" or "/products" (or "order.paid" for the worker)',
  description:
    'only this route, e.g. "POST /reservations" or "/products" (a path prefix); the worker\'s route is its queue step "order.paid"',
} as const;
const probability = { type: 'number', min: 0, max: 1, default: 1, description: 'share of requests affected' } as const;
const fix = {
  type: 'boolean',
  default: false,
  description: 'apply the fix while the fault stays configured (logged when applied)',
} as const;

export const FAULTS: readonly FaultDef[] = [
  {
    name: 'latency',
    title: 'Added latency',
    description: 'Adds a fixed delay plus random jitter to requests of one service (optionally one route).',
    services: SERVICES,
    where: 'every route (the worker: each order.paid message)',
    params: {
      service: service(),
      route,
      ms: { type: 'number', integer: true, min: 0, max: 30_000, default: 500, description: 'fixed delay' },
      jitter_ms: { type: 'number', integer: true, min: 0, max: 10_000, default: 0, description: 'extra random delay, 0..jitter_ms' },
      probability,
    },
    symptom:
      "The service's server span (or the worker's process span) is longer by about ms, and carries the fault.injected event with fault.name=latency.",
  },
  {
    name: 'error',
    title: 'Injected errors',
    description: 'Fails a share of requests of one service (optionally one route) with an HTTP status.',
    services: SERVICES,
    where: 'every route (the worker: each order.paid message, which is then retried)',
    params: {
      service: service(),
      route,
      rate: { type: 'number', min: 0, max: 1, default: 1, description: 'share of requests that fail' },
      status: { type: 'number', integer: true, min: 400, max: 599, default: 500, description: 'HTTP status returned' },
    },
    symptom:
      'An ERROR server span in the service with error.type=injected_error and the fault.injected event; callers see the error propagate up to the gateway.',
  },
  {
    name: 'dependency_timeout',
    title: 'A dependency that stops answering',
    description: 'The service hangs before answering, longer than its callers wait (UPSTREAM_TIMEOUT_MS), so their calls time out.',
    // The services something calls and waits for: the gateway and the worker have no caller that times out.
    services: ['auth', 'inventory', 'payment', 'order'],
    where: 'every route',
    params: {
      service: service(['auth', 'inventory', 'payment', 'order']),
      ms: { type: 'number', integer: true, min: 1, max: 60_000, default: 8000, description: 'how long it hangs' },
      probability,
    },
    symptom:
      "The caller's client span ends in ERROR after its timeout and the caller answers 504 upstream_timeout (a checkout whose payment hangs: 502 payment_failed); the hung server span is long and marked with fault.name=dependency_timeout. When payment hangs, order cannot know whether the card was charged: its compensate step calls POST /voids, and the charge that completes once payment wakes up is refunded.",
  },
  {
    name: 'slow_query',
    title: 'A slow database query',
    description: "Inventory's product and reservation queries run a real pg_sleep inside the SQL statement.",
    services: ['inventory'],
    where: 'SELECT of products (GET /products, GET /products/:id, POST /reservations)',
    params: { ms: { type: 'number', integer: true, min: 1, max: 10_000, default: 500, description: 'time the query sleeps in Postgres' } },
    symptom: "The pg span under inventory's request (db.query.text contains pg_sleep) takes about ms.",
  },
  {
    name: 'lock_contention',
    title: 'Lock contention on a hot product',
    description:
      'Each reservation holds the row locks its statement takes (SELECT ... FOR UPDATE on the products) for a while before committing, so concurrent checkouts of the same product queue behind each other.',
    services: ['inventory'],
    where: 'POST /reservations (the inventory.reserve_stock transaction)',
    params: {
      hold_ms: { type: 'number', integer: true, min: 1, max: 10_000, default: 300, description: 'time each transaction keeps its locks' },
      fix,
    },
    symptom:
      'Under concurrent checkouts, the reservation statement (pg.query:reservation_reserve, whose db.query.text locks the products FOR UPDATE) waits, a long span with no work, and inventory.reserve_stock grows with the queue.',
    fix: { description: 'Keep transactions short: do slow work outside the transaction that holds row locks.', param: 'fix' },
  },
  {
    name: 'n_plus_one',
    title: 'N+1 queries',
    description: 'Inventory loads the catalog with one query for the product ids and then one query per product, instead of one batch.',
    services: ['inventory'],
    where: 'GET /products',
    params: { fix },
    symptom: 'GET /api/products shows one db span per product (20+) under the inventory span instead of one.',
    fix: { description: 'Load the rows in one query (WHERE id = ANY($1) or a plain SELECT).', param: 'fix' },
  },
  {
    name: 'payment_provider',
    title: 'A slow or failing payment provider',
    description: 'The simulated card provider answers slowly, fails with provider errors, or declines, at the given rates.',
    services: ['payment'],
    where: 'the payment.provider.charge span of POST /charges',
    params: {
      latency_ms: { type: 'number', integer: true, min: 0, max: 30_000, default: 0, description: 'added provider latency' },
      error_rate: { type: 'number', min: 0, max: 1, default: 0, description: 'share of charges that fail with a provider error (502)' },
      decline_rate: { type: 'number', min: 0, max: 1, default: 0, description: 'share of charges declined (402)' },
    },
    symptom:
      'payment.provider.charge spans are slow, or ERROR with error.type provider_error or card_declined; checkouts answer 502 payment_failed or 402 payment_declined.',
  },
  {
    name: 'retry_storm',
    title: 'A retry storm',
    description: 'Order retries a failed payment charge immediately, again and again, without backoff.',
    services: ['order'],
    where: 'the order.saga.charge_payment step',
    params: {
      retries: { type: 'number', integer: true, min: 1, max: 20, default: 8, description: 'retries after the first attempt' },
      fix,
    },
    symptom:
      "With payment failing, one checkout trace holds many back-to-back client spans of order to payment's /charges (named POST, as HTTP client spans are), and order.saga.charge_payment a shop.retry event (shop.retry.attempt) before each retry.",
    fix: { description: 'Retry a few times only, with exponential backoff and jitter.', param: 'fix' },
  },
  {
    name: 'slow_worker',
    title: 'A slow worker',
    description: 'The worker takes a long time to fulfil each order.',
    services: ['worker'],
    where: 'the worker.fulfil_order span',
    params: { ms: { type: 'number', integer: true, min: 1, max: 60_000, default: 2000, description: 'extra processing time per message' } },
    symptom: 'worker.fulfil_order spans are long; orders stay paid longer before they are fulfilled; the queue grows under load.',
  },
  {
    name: 'poison_message',
    title: 'Poison messages',
    description: 'The worker cannot process a share of order.paid messages: each is retried, then dead-lettered.',
    services: ['worker'],
    where: 'the worker.fulfil_order span',
    params: { rate: { type: 'number', min: 0, max: 1, default: 1, description: 'share of messages that are poison' }, fix },
    symptom:
      'The trace shows worker.fulfil_order in ERROR, shop.retry events, then shop.message.dead_lettered; the order stays paid and never becomes fulfilled; the dead-letter queue grows.',
    fix: { description: 'Recognise a message that can never succeed and dead-letter it at once instead of retrying it.', param: 'fix' },
  },
  {
    name: 'broken_propagation',
    title: 'Broken context propagation',
    description: 'The trace context (traceparent, baggage) is dropped on one hop, so the trace splits in two there.',
    services: ['gateway', 'order', 'worker'],
    where: 'the outgoing call or message of the hop',
    params: { hop: { type: 'string', choices: HOPS, default: 'order->payment', description: 'caller->callee hop that loses the context' } },
    symptom: "The checkout trace stops at the hop's client or producer span; the callee's spans start a new trace of their own.",
  },
  {
    name: 'leaky_span',
    title: 'A card number on a span',
    description:
      "Payment writes the card number into its span three times: as an attribute of its own (shop.payment.card_number), inside a note in groups of four with spaces (shop.payment.note), and in the note of a span event, with dashes (shop.payment.card_checked). The Collector's redaction masks the first; the other two get through.",
    services: ['payment'],
    where: 'the payment.provider.charge span',
    params: {},
    symptom:
      'In Jaeger, payment.provider.charge carries shop.payment.card_number as [card number redacted], but shop.payment.note, on the span and on its shop.payment.card_checked event, shows all the digits.',
    fix: {
      description:
        'Redact in the pipeline: extend transform/redact_cards in infra/otel-collector/config.yaml to card numbers written in groups (spaces or dashes between the digits), then restart the Collector. In real life, also take the attribute out of the code.',
      config: 'infra/otel-collector/config.yaml',
    },
  },
  {
    name: 'warehouse_notices',
    title: 'Warehouse notices that lose their trace',
    description:
      'Order tells the warehouse (inventory) about every paid order through a batching sender: notices wait in memory and a timer sends them. The timer runs outside any request, so each notice starts a trace of its own.',
    services: ['order'],
    where: 'services/order/src/warehouse-notices.ts, and inventory POST /warehouse/notices',
    params: {},
    symptom: "inventory's POST /warehouse/notices spans are the roots of traces of their own, instead of being in the checkout's trace.",
    fix: {
      description:
        "Keep each notice's context with it (context.active() when it is queued) and send it inside that context, as the outbox relay does with the trace context it stores. A code change: there is no switch.",
    },
  },
];

export function findFault(name: string): FaultDef | undefined {
  return FAULTS.find((f) => f.name === name);
}

/**
 * What leaky_span writes besides the whole number: payment plants these notes, with the card
 * number in groups, and quest 12's check reads them back to tell a masked number from a lost note.
 */
export const LEAKY_NOTES = {
  attribute: 'shop.payment.note',
  /** On the payment.provider.charge span, the groups split by spaces. */
  span: { before: 'charging card ', after: ' for the customer', separator: ' ' },
  /** On its shop.payment.card_checked event, the groups split by dashes. */
  event: { before: 'card ', after: ' passed the checks', separator: '-' },
} as const;

/** A note as leaky_span writes it: the card number in groups of four, the style's separator between them. */
export const leakyNote = (card: string, { before, after, separator }: (typeof LEAKY_NOTES)['span' | 'event']): string =>
  `${before}${card.replace(/(\d{4})(?=\d)/g, `$1${separator}`)}${after}`;
