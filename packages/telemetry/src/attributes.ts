// Every custom attribute, event and metric name in one place. Semantic-convention names where
// they exist; `shop.*` for the shop's own domain; `fault.*` for injected faults.
export const ATTR = {
  // semantic conventions
  ERROR_TYPE: 'error.type',
  USER_ID: 'enduser.id',
  MESSAGING_MESSAGE_ID: 'messaging.message.id',
  // the shop's domain
  ORDER_ID: 'shop.order.id',
  ORDER_STATUS: 'shop.order.status',
  ORDER_TOTAL_CENTS: 'shop.order.total_cents',
  ORDER_ITEM_COUNT: 'shop.order.item_count',
  PRODUCT_ID: 'shop.product.id',
  RESERVATION_ID: 'shop.reservation.id',
  PAYMENT_ID: 'shop.payment.id',
  PAYMENT_OUTCOME: 'shop.payment.outcome',
  PAYMENT_CARD_LAST4: 'shop.payment.card_last4',
  PAYMENT_IDEMPOTENT_REPLAY: 'shop.payment.idempotent_replay',
  ORDER_IDEMPOTENT_REPLAY: 'shop.order.idempotent_replay',
  PAYMENT_REFUNDED_COUNT: 'shop.payment.refunded_count',
  FRAUD_SCORE: 'shop.fraud.score',
  AUTH_OUTCOME: 'shop.auth.outcome',
  SAGA_STEP: 'shop.saga.step',
  OUTBOX_EVENT_ID: 'shop.outbox.event_id',
  DELIVERY_ATTEMPT: 'shop.delivery.attempt',
  /** Which retry of a call the shop.retry event comes before: 1, 2, ... (order's charge retries). */
  RETRY_ATTEMPT: 'shop.retry.attempt',
  /** How long the shop.retry event's span waits before that retry goes out (0: at once). */
  RETRY_DELAY_MS: 'shop.retry.delay_ms',
  SHIPMENT_ID: 'shop.shipment.id',
  REQUEST_ID: 'shop.request.id',
} as const;

export const EVENT = {
  RESERVATION_EXPIRED: 'shop.reservation.expired',
  RETRY: 'shop.retry',
  DEAD_LETTERED: 'shop.message.dead_lettered',
  DUPLICATE_SKIPPED: 'shop.message.duplicate_skipped',
  CHARGE_REFUNDED: 'shop.payment.refunded',
  CHECKOUT_ABANDONED: 'shop.order.abandoned',
  STALE_CHARGE_RECLAIMED: 'shop.payment.stale_claim_reclaimed',
  CALLER_HUNG_UP: 'shop.caller_hung_up',
  /** Only with the leaky_span fault (quest 12): a card number the code should never have written. */
  CARD_CHECKED: 'shop.payment.card_checked',
} as const;

export const METRIC = {
  ORDERS_PLACED: 'shop.orders.placed',
  ORDERS_FAILED: 'shop.orders.failed',
  PAYMENTS_DECLINED: 'shop.payments.declined',
  MESSAGES_DEAD_LETTERED: 'shop.messages.dead_lettered',
  OUTBOX_PARKED: 'shop.outbox.parked',
  ORDERS_FULFILLED: 'shop.orders.fulfilled',
  FAULTS_ACTIVE: 'shop.faults.active',
} as const;

/**
 * The only baggage keys a service accepts (propagation.ts drops every other one as it reads the
 * header, so they are all that reaches the next hop and the outbox), and all are copied onto every
 * span (baggage.ts): synthetic_request marks load-generator traffic; shop.campaign is the marketing
 * campaign a customer came from, known only at the edge.
 */
export const BAGGAGE_ON_SPANS = ['synthetic_request', 'shop.campaign'] as const;
/** A longer baggage value is dropped, not cut: a cut value would be a different, made-up one. */
export const BAGGAGE_MAX_VALUE_LENGTH = 256;
