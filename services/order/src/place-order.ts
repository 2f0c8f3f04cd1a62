import { randomUUID } from 'node:crypto';
import { context, propagation, type Span, trace } from '@opentelemetry/api';
import {
  type Card,
  type Charge,
  type LineItem,
  ORDER_PAID,
  type Order,
  type OrderPaidEvent,
  type Reservation,
} from '@tracequest/contracts';
import { type Faults, markFault } from '@tracequest/faults';
import { AppError, conflict } from '@tracequest/service-kit';
import { ATTR, counter, EVENT, type Logger, METRIC, recordError, withSpan } from '@tracequest/telemetry';
import type { InventoryClient } from './inventory-client';
import type { OrderRepository } from './order-repository';
import type { PaymentClient } from './payment-client';
import { chargeWithRetries } from './retry-charge';
import { toOrder } from './views';
import type { WarehouseNotices } from './warehouse-notices';

export interface CheckoutDeps {
  orders: OrderRepository;
  inventory: InventoryClient;
  payment: PaymentClient;
  logger: Logger;
  faults?: Faults;
  /** Paid orders the warehouse hears about (while the warehouse_notices switch is on). */
  notices?: WarehouseNotices;
}

export interface CheckoutInput {
  userId: string;
  items: LineItem[];
  card: Card;
  requestId?: string;
  /** Called once the order exists (pending), before stock or money moves for it. */
  onCreated?: (orderId: string) => Promise<void>;
}

// Answers that tell nothing of what the callee did: it may have done it after the caller gave up.
const UNKNOWN_OUTCOME = new Set(['upstream_timeout', 'upstream_unavailable', 'upstream_error']);
const codeOf = (err: unknown) => (err instanceof AppError ? err.code : undefined);
const asUpstreamError = (err: unknown, service: string) =>
  err instanceof AppError && err.status < 500 ? new AppError(502, 'upstream_error', `${service} failed`) : err;

function step<T>(name: string, orderId: string, fn: (span: Span) => Promise<T>): Promise<T> {
  return withSpan(`order.saga.${name}`, { [ATTR.ORDER_ID]: orderId, [ATTR.SAGA_STEP]: name }, fn);
}

/** The checkout saga: each step either succeeds or undoes what came before and fails the order. */
export async function placeOrder(deps: CheckoutDeps, input: CheckoutInput): Promise<Order> {
  const orderId = randomUUID();
  trace.getActiveSpan()?.setAttributes({ [ATTR.ORDER_ID]: orderId, [ATTR.USER_ID]: input.userId });
  await createOrder(deps, orderId, input);
  await input.onCreated?.(orderId);
  const reservation = await reserveStock(deps, orderId, input);
  await deps.orders.recordReservation(orderId, reservation);
  const charge = await chargePayment(deps, orderId, reservation, input);
  const paid = await confirm(deps, orderId, input, reservation, charge);
  counter(METRIC.ORDERS_PLACED).add(1);
  return toOrder(paid);
}

function createOrder(deps: CheckoutDeps, orderId: string, input: CheckoutInput): Promise<void> {
  return step('create_order', orderId, async (span) => {
    span.setAttribute(ATTR.ORDER_ITEM_COUNT, input.items.length);
    await deps.orders.create(orderId, input.userId, input.items);
  });
}

function reserveStock(deps: CheckoutDeps, orderId: string, input: CheckoutInput): Promise<Reservation> {
  return step('reserve_stock', orderId, async (span) => {
    try {
      const reservation = await deps.inventory.reserve(orderId, input.items, input.requestId);
      span.setAttributes({ [ATTR.RESERVATION_ID]: reservation.id, [ATTR.ORDER_TOTAL_CENTS]: reservation.total_cents });
      return reservation;
    } catch (err) {
      const code = codeOf(err);
      // An unknown product means the request itself was wrong: none of it stays written.
      const refused = code === 'product_not_found' || code === 'out_of_stock';
      // A timeout or a lost answer may hide a reservation that was made: release it by order id.
      if (code && UNKNOWN_OUTCOME.has(code)) await compensate(deps, orderId, { releaseOrder: true }, input.requestId);
      if (code === 'product_not_found') await deps.orders.delete(orderId);
      else await failOrder(deps, orderId, code === 'out_of_stock' ? 'out_of_stock' : 'inventory_failed');
      throw refused ? err : asUpstreamError(err, 'inventory');
    }
  });
}

function chargePayment(deps: CheckoutDeps, orderId: string, reservation: Reservation, input: CheckoutInput): Promise<Charge> {
  return step('charge_payment', orderId, async (span) => {
    try {
      const request = { order_id: orderId, amount_cents: reservation.total_cents, currency: reservation.currency, card: input.card };
      const charge = await chargeWithRetries(deps, (key) => deps.payment.charge(request, input.requestId, key), orderId);
      span.setAttribute(ATTR.PAYMENT_ID, charge.id);
      return charge;
    } catch (err) {
      const [reason, error] = paymentFailure(err);
      // Declined or refused, nothing was taken. Any other failure (a timeout, a 5xx, a lost answer)
      // may hide a charge that went through: payment voids the order, refunding it if so.
      const unknown = reason === 'payment_failed';
      await compensate(deps, orderId, { voidPayment: unknown, reservationId: reservation.id }, input.requestId);
      await failOrder(deps, orderId, reason);
      throw error;
    }
  });
}

function paymentFailure(err: unknown): [string, AppError] {
  if (err instanceof AppError && err.status === 402)
    return ['payment_declined', new AppError(402, 'payment_declined', 'the card was declined', true)];
  if (codeOf(err) === 'invalid_card_number')
    return ['invalid_card', new AppError(400, 'invalid_card_number', 'the card number is not valid')];
  return ['payment_failed', new AppError(502, 'payment_failed', 'the payment could not be taken')];
}

function confirm(deps: CheckoutDeps, orderId: string, input: CheckoutInput, reservation: Reservation, charge: Charge) {
  return step('confirm', orderId, async (span) => {
    try {
      await deps.inventory.commit(reservation.id, input.requestId);
    } catch (err) {
      const expired = codeOf(err) === 'reservation_not_held';
      if (expired) span.addEvent(EVENT.RESERVATION_EXPIRED, { [ATTR.RESERVATION_ID]: reservation.id });
      // A reservation that is no longer held has nothing left to release.
      const undo = { chargeId: charge.id, reservationId: expired ? undefined : reservation.id };
      await compensate(deps, orderId, undo, input.requestId);
      await failOrder(deps, orderId, expired ? 'reservation_expired' : 'inventory_failed');
      if (expired) throw conflict('reservation_expired', 'the stock reservation expired before the order was confirmed');
      throw asUpstreamError(err, 'inventory');
    }
    const paid = await markPaid(deps, orderId, input.userId, reservation, charge);
    if (deps.notices && (await deps.faults?.get('warehouse_notices'))) {
      markFault('warehouse_notices');
      deps.notices.add({ order_id: orderId, items: input.items });
    }
    return paid;
  });
}

/** The paid status and the order.paid event commit together, or neither does. */
async function markPaid(deps: CheckoutDeps, orderId: string, userId: string, reservation: Reservation, charge: Charge) {
  const event: OrderPaidEvent = {
    event_id: randomUUID(),
    type: ORDER_PAID,
    order_id: orderId,
    user_id: userId,
    total_cents: reservation.total_cents,
    currency: reservation.currency,
    items: reservation.items,
    occurred_at: new Date().toISOString(),
  };
  // The relay publishes inside this context, so the message continues the checkout's trace.
  const traceContext: Record<string, string> = {};
  propagation.inject(context.active(), traceContext);
  return deps.orders.markPaid(orderId, charge.id, reservation.id, {
    id: event.event_id,
    aggregateId: orderId,
    eventType: event.type,
    payload: event,
    traceContext,
  });
}

async function failOrder(deps: CheckoutDeps, orderId: string, reason: string): Promise<void> {
  await deps.orders.markFailed(orderId, reason);
  counter(METRIC.ORDERS_FAILED).add(1, { reason });
}

/** Undoes earlier steps; an undo that fails is recorded and logged, never thrown over the real error. */
function compensate(
  deps: CheckoutDeps,
  orderId: string,
  undo: { chargeId?: string; voidPayment?: boolean; reservationId?: string; releaseOrder?: boolean },
  requestId?: string,
) {
  return step('compensate', orderId, async (span) => {
    const attempt = async (action: string, fn: () => Promise<void>) => {
      try {
        await fn();
      } catch (err) {
        recordError(span, err, 'compensation_failed');
        deps.logger.error({ err, order_id: orderId, action }, 'compensation failed');
      }
    };
    if (undo.chargeId) await attempt('refund', () => deps.payment.refund(undo.chargeId!, requestId));
    if (undo.voidPayment) await attempt('void', () => deps.payment.voidOrder(orderId, requestId));
    if (undo.reservationId) await attempt('release', () => deps.inventory.release(undo.reservationId!, requestId));
    if (undo.releaseOrder) await attempt('release', () => deps.inventory.releaseOrder(orderId, requestId));
  });
}
