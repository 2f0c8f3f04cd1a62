import { createHash } from 'node:crypto';
import { trace } from '@opentelemetry/api';
import { errorBody, IDEMPOTENCY_ERROR, type Order } from '@tracequest/contracts';
import { AppError, conflict } from '@tracequest/service-kit';
import { ATTR } from '@tracequest/telemetry';
import type { IdempotencyKeyRepository } from './idempotency-key-repository';
import type { OrderRepository } from './order-repository';
import { toOrder } from './views';

export interface CheckoutOnceDeps {
  keys: IdempotencyKeyRepository;
  orders: OrderRepository;
  /** How long a key is remembered. */
  keyTtlMs: number;
}

/**
 * Runs a checkout once per user and Idempotency-Key. A retry with the same body gets the first
 * answer back (the same order, or the same 4xx) without placing a second order or charging again;
 * the same key with a different body is 422; a retry while the first is in flight is 409. A 5xx
 * frees the key: that order failed and was undone, so a retry may try again.
 */
export async function checkoutOnce(
  deps: CheckoutOnceDeps,
  scope: { userId: string; key: string; body: unknown },
  run: (onCreated: (orderId: string) => Promise<void>) => Promise<Order>,
): Promise<Order> {
  const { userId, key } = scope;
  const hash = createHash('sha256').update(JSON.stringify(scope.body)).digest('hex');
  if (!(await deps.keys.claim(userId, key, hash, deps.keyTtlMs))) return replay(deps, userId, key, hash);
  try {
    const order = await run((orderId) => deps.keys.attachOrder(userId, key, orderId));
    await deps.keys.complete(userId, key, 201, order);
    return order;
  } catch (err) {
    if (err instanceof AppError && err.status < 500)
      await deps.keys.complete(userId, key, err.status, { error: { code: err.code, message: err.message } });
    else await deps.keys.release(userId, key);
    throw err;
  }
}

async function replay(deps: CheckoutOnceDeps, userId: string, key: string, hash: string): Promise<Order> {
  const stored = await deps.keys.find(userId, key);
  if (stored && stored.requestHash !== hash)
    throw new AppError(422, IDEMPOTENCY_ERROR.REUSED, 'this Idempotency-Key was used for a different checkout');
  // The first request's process died after creating its order: that order's outcome is the answer.
  if (stored?.statusCode === null && stored.orderId) {
    const order = await deps.orders.find(stored.orderId);
    if (order && (order.status === 'paid' || order.status === 'fulfilled')) {
      trace.getActiveSpan()?.setAttribute(ATTR.ORDER_IDEMPOTENT_REPLAY, true);
      return toOrder(order);
    }
    if (order?.status === 'failed')
      throw new AppError(409, 'checkout_failed', `this checkout failed (${order.failureReason ?? 'unknown'}); any charge was refunded`);
  }
  // No row: it was freed between the claim and the look (the first request just failed with a 5xx).
  if (!stored || stored.statusCode === null)
    throw conflict(IDEMPOTENCY_ERROR.IN_FLIGHT, 'a checkout with this Idempotency-Key is still in progress');
  trace.getActiveSpan()?.setAttribute(ATTR.ORDER_IDEMPOTENT_REPLAY, true);
  const error = errorBody.safeParse(stored.response).data?.error;
  if (error) throw new AppError(stored.statusCode, error.code, error.message, stored.statusCode === 402);
  return stored.response as Order;
}
