import type { ParamValues } from './params';
import { SERVICES } from './registry';

export interface Scenario {
  name: string;
  story: string;
  /** Faults to set (every other fault is cleared). `seed` makes random choices repeatable. */
  faults: (seed: number) => Record<string, ParamValues>;
  symptom: string;
  fix: string;
}

/** A small, deterministic pseudo-random pick, so a seed always chooses the same target. */
export function pick<T>(items: readonly T[], seed: number): T {
  const x = Math.sin(seed * 9301 + 49297) * 233280;
  return items[Math.floor((x - Math.floor(x)) * items.length)];
}

export const MYSTERY_TARGETS = SERVICES.filter((s) => s !== 'gateway' && s !== 'worker');

/** The checkout's steps whose slowness or failure a learner has to find: three, so a guess is not half right. */
export const CHECKOUT_STEPS = [
  { service: 'inventory', route: 'POST /reservations' },
  { service: 'payment', route: 'POST /charges' },
  { service: 'order', route: 'POST /orders' },
] as const;

export const SPIKE_ROUTES = [...CHECKOUT_STEPS, { service: 'inventory', route: 'GET /products' }] as const;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'slow-checkout',
    story: 'Checkouts got slow after a deploy. (Which step is slow changes with the seed.)',
    faults: (seed) => ({ latency: { ...pick(CHECKOUT_STEPS, seed), ms: 400, jitter_ms: 100 } }),
    symptom:
      "Checkout p95 is about 0.5 s higher; in the trace, one step's server span (inventory's POST /reservations, payment's POST /charges or order's own POST /orders) holds the time.",
    fix: '`npm run fault -- clear latency` (in real life: roll back the change).',
  },
  {
    name: 'failing-step',
    story: 'Checkouts fail with a 5xx. (Which step fails changes with the seed.)',
    faults: (seed) => ({ error: { ...pick(CHECKOUT_STEPS, seed), status: 503, rate: 1 } }),
    symptom:
      "Checkouts answer 5xx; the gateway's and order's spans are in error, but the error starts in one step's server span (503, injected_error).",
    fix: '`npm run fault -- clear error`.',
  },
  {
    name: 'latency-spike',
    story: 'Two requests in five on one route take up to a second. (Which route changes with the seed.)',
    faults: (seed) => ({ latency: { ...pick(SPIKE_ROUTES, seed), ms: 800, jitter_ms: 200, probability: 0.4 } }),
    symptom:
      "One route's p95 and p99 jump in the RED metrics (span metrics); its slow buckets carry exemplars that lead to the slow traces.",
    fix: '`npm run fault -- clear latency`.',
  },
  {
    name: 'flaky-payments',
    story: 'Some customers cannot pay; support says "the card was fine".',
    faults: () => ({ payment_provider: { error_rate: 0.3, decline_rate: 0.1, latency_ms: 150 } }),
    symptom: 'About 30% of checkouts answer 502 payment_failed and 10% 402; payment.provider.charge spans are ERROR with provider_error.',
    fix: 'The provider is at fault: clear payment_provider; meanwhile, retries with backoff (not a storm) help.',
  },
  {
    name: 'mystery-latency',
    story: 'Everything is slower, and nobody knows which service it is. (The target changes with the seed.)',
    faults: (seed) => ({ latency: { service: pick(MYSTERY_TARGETS, seed), ms: 300, jitter_ms: 200, probability: 0.7 } }),
    symptom:
      "Most traces are 300 ms or more slower (300-500 ms per slowed request); only one service's server spans carry fault.name=latency.",
    fix: 'Find the service with the long self-time in Jaeger (or the RED dashboard), then clear latency.',
  },
  {
    name: 'lost-messages',
    story: 'Orders are paid but never shipped.',
    faults: () => ({ poison_message: { rate: 0.5 } }),
    symptom: 'Half the orders stay paid; worker traces show retries then shop.message.dead_lettered; the dead-letter queue grows.',
    fix: '`npm run fault -- set poison_message rate=0.5 fix=true` dead-letters poison at once; then clear it and replay the DLQ.',
  },
  {
    name: 'broken-trace',
    story: 'The payment team says they never see checkout traces.',
    faults: () => ({ broken_propagation: { hop: 'order->payment' } }),
    symptom: "Checkout traces end at order's client span to payment's /charges (named POST); payment's spans sit in traces of their own.",
    fix: 'Restore context propagation on the hop (clear broken_propagation).',
  },
  {
    name: 'leaky-span',
    story: 'Security found card numbers in the tracing backend.',
    faults: () => ({ leaky_span: {} }),
    symptom:
      'payment.provider.charge spans in Jaeger carry the full card number in shop.payment.note (on the span and on an event), written in groups the redaction misses.',
    fix: "Extend the Collector's transform/redact_cards to numbers in groups (infra/otel-collector/config.yaml) and restart it; then take the attribute out of the code (clear leaky_span).",
  },
  {
    name: 'retry-storm',
    story: 'A small payment hiccup turned into an outage.',
    faults: () => ({ payment_provider: { error_rate: 0.7 }, retry_storm: { retries: 8 } }),
    symptom: 'Checkout traces hold many back-to-back client spans of order to /charges (each named POST); the load on payment multiplies.',
    fix: '`npm run fault -- set retry_storm fix=true` switches to a few retries with exponential backoff and jitter.',
  },
  {
    name: 'hot-product',
    story: 'A flash sale on one product, and checkouts crawl.',
    faults: () => ({ lock_contention: { hold_ms: 300 } }),
    symptom:
      "Under concurrent checkouts of one product, inventory's reservation statement (pg.query:reservation_reserve, a SELECT ... FOR UPDATE inside) waits in line.",
    fix: '`npm run fault -- set lock_contention fix=true` keeps the locking transaction short.',
  },
  {
    name: 'chatty-catalog',
    story: 'The product page is slow, and the database is busy.',
    faults: () => ({ n_plus_one: {} }),
    symptom: 'GET /api/products has 20+ db spans under inventory.',
    fix: '`npm run fault -- set n_plus_one fix=true` loads the catalog in one query.',
  },
  {
    name: 'hung-payment',
    story: 'Checkouts fail after a long wait, and customers ask whether they were charged.',
    faults: () => ({ dependency_timeout: { service: 'payment', ms: 6000 } }),
    symptom:
      "Checkouts fail after about 10 s: order's client span to /charges (named POST) is ERROR at its 5 s timeout, order.saga.compensate's POST /voids waits 5 s more (it hangs too), and payment's late work ends in a shop.payment.refunded span.",
    fix: 'Clear dependency_timeout. No money was kept: the void refunded the charge that went through after order gave up.',
  },
  {
    name: 'slow-database',
    story: 'The database got slow.',
    faults: () => ({ slow_query: { ms: 300 } }),
    symptom: "Inventory's pg spans (with pg_sleep in the statement) take 300 ms.",
    fix: 'Clear slow_query (in real life: the query plan, an index, or the database host).',
  },
];

export const findScenario = (name: string) => SCENARIOS.find((s) => s.name === name);
