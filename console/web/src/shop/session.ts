import type { Order, Product } from '@tracequest/contracts';
import { createStore, isObject, kept } from '../store';

export interface Session {
  token: string;
  email: string;
}

/** Who is logged in. */
export const session = kept<Session | null>(
  'tracequest.session',
  null,
  (v) => isObject(v) && typeof v.token === 'string' && typeof v.email === 'string',
);

export interface CartLine {
  product: Product;
  quantity: number;
}
/** The most of one product an order takes (the API's lineItem). */
export const MAX_QUANTITY = 100;

export const cart = kept<CartLine[]>(
  'tracequest.cart',
  [],
  (v) =>
    Array.isArray(v) &&
    v.every(
      (l) =>
        isObject(l) &&
        isObject(l.product) &&
        typeof l.product.id === 'string' &&
        typeof l.product.name === 'string' &&
        Number.isInteger(l.product.price_cents) &&
        typeof l.product.currency === 'string' &&
        Number.isInteger(l.quantity) &&
        (l.quantity as number) >= 1 &&
        (l.quantity as number) <= MAX_QUANTITY,
    ),
);

export function addToCart(product: Product): void {
  cart.set((lines) =>
    lines.some((l) => l.product.id === product.id)
      ? lines.map((l) => (l.product.id === product.id ? { ...l, quantity: Math.min(l.quantity + 1, MAX_QUANTITY) } : l))
      : [...lines, { product, quantity: 1 }],
  );
}

/** The shopper's orders, newest first, and the trace of each checkout made in this tab (kept across a reload). */
export const orders = createStore<Order[]>([]);
export const checkoutTraces = kept<Record<string, string>>(
  'tracequest.checkout-traces',
  {},
  (v) => isObject(v) && Object.values(v).every((t) => typeof t === 'string' && /^[0-9a-f]{32}$/.test(t)),
);

/** Bumped by every checkout, which takes stock (or gives it back): the products list reads it again. */
export const stockChanged = createStore(0);

export const SETTLED: ReadonlySet<Order['status']> = new Set(['fulfilled', 'failed']);
