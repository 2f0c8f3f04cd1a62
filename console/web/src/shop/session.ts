import type { Order, Product } from '@tracequest/contracts';
import { createStore } from '../store';

export interface Session {
  token: string;
  email: string;
}

const KEY = 'tracequest.session';
const saved = sessionStorage.getItem(KEY);

/** Who is logged in (kept for the tab's lifetime, so a reload stays logged in). */
export const session = createStore<Session | null>(saved ? (JSON.parse(saved) as Session) : null);
session.subscribe(() => {
  const s = session.get();
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
});

export interface CartLine {
  product: Product;
  quantity: number;
}
export const cart = createStore<CartLine[]>([]);

/** The most of one product an order takes (the API's lineItem). */
export const MAX_QUANTITY = 100;

export function addToCart(product: Product): void {
  cart.set((lines) =>
    lines.some((l) => l.product.id === product.id)
      ? lines.map((l) => (l.product.id === product.id ? { ...l, quantity: Math.min(l.quantity + 1, MAX_QUANTITY) } : l))
      : [...lines, { product, quantity: 1 }],
  );
}

/** The shopper's orders, newest first, and the trace of each checkout made in this tab. */
export const orders = createStore<Order[]>([]);
export const checkoutTraces = createStore<Record<string, string>>({});

export const SETTLED: ReadonlySet<Order['status']> = new Set(['fulfilled', 'failed']);
