import type { Order, OrderList } from '@tracequest/contracts';
import { useEffect, useState } from 'preact/hooks';
import { describeError, shop } from '../http';
import { links } from '../router';
import { useStore } from '../store';
import { clock, money, Notice, TraceLink } from '../ui';
import { checkoutTraces, orders, SETTLED, session } from './session';

/** The first look after a checkout, and how much longer each next wait is, up to its most. */
const POLL_MS = 1000;
const POLL_GROWTH = 1.5;
const POLL_MAX_MS = 10_000;
const POLL_FOR_MS = 60_000;
const watching = new Set<string>();

const replace = (order: Order) => orders.set((list) => list.map((o) => (o.id === order.id ? order : o)));

/**
 * Polls an order until it settles (fulfilled or failed), or for a minute at most: soon at first,
 * then less and less often, so an order that stays paid (a lost message) does not fill the Traces
 * tab with its polls (about 10 in the minute, not 60).
 */
export async function watchOrder(id: string, token: string): Promise<void> {
  if (watching.has(id)) return;
  watching.add(id);
  const deadline = Date.now() + POLL_FOR_MS;
  let wait = POLL_MS;
  try {
    while (Date.now() < deadline && session.get()?.token === token) {
      await new Promise((r) => setTimeout(r, wait));
      wait = Math.min(wait * POLL_GROWTH, POLL_MAX_MS);
      const answer = await shop<Order>('GET', `/api/orders/${id}`, { token });
      if (answer.ok && answer.data) {
        replace(answer.data);
        if (SETTLED.has(answer.data.status)) return;
      }
    }
  } finally {
    watching.delete(id);
  }
}

/** Reloads the shopper's orders; answers with what went wrong, if anything. */
export async function loadOrders(token: string): Promise<string | null> {
  const answer = await shop<OrderList>('GET', '/api/orders', { token });
  if (!answer.ok || !answer.data) return describeError(answer, 'shop');
  orders.set(answer.data.items);
  return null;
}

export function Orders() {
  const current = useStore(session);
  const list = useStore(orders);
  const traces = useStore(checkoutTraces);
  const [failure, setFailure] = useState<string | null>(null);
  const load = async () => {
    if (current) setFailure(await loadOrders(current.token));
  };
  useEffect(() => void load(), [current?.token]);

  if (!current) return null;
  return (
    <section class="panel" aria-labelledby="orders-h">
      <div class="panel-head">
        <h2 id="orders-h">My orders</h2>
        <button type="button" onClick={load}>
          Reload
        </button>
      </div>
      {failure && <Notice kind="error">Could not load your orders: {failure}</Notice>}
      {list.length === 0 && <p class="muted">No orders yet.</p>}
      {list.length > 0 && (
        <table class="orders">
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Status</th>
              <th scope="col">Total</th>
              <th scope="col">Trace</th>
            </tr>
          </thead>
          <tbody>
            {list.slice(0, 8).map((o) => (
              <tr key={o.id} data-order-id={o.id} data-status={o.status}>
                <td class="mono" title={`placed at ${clock(new Date(o.created_at))}`}>
                  {o.id.slice(0, 8)}
                </td>
                <td>
                  <span class={`status status-${o.status}`}>{o.status}</span>
                  {!SETTLED.has(o.status) && watching.has(o.id) && <span class="muted small"> checking…</span>}
                </td>
                <td>{money(o.total_cents, o.currency)}</td>
                <td>
                  {traces[o.id] ? (
                    <TraceLink traceId={traces[o.id]} label="its trace" />
                  ) : (
                    <a href={links.search({ service: 'order', tags: `shop.order.id=${o.id}` })}>find its traces</a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
