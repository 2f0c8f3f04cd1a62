import type { Order } from '@tracequest/contracts';
import { useState } from 'preact/hooks';
import { describeError, shop } from '../http';
import { useStore } from '../store';
import { inClickSpan } from '../telemetry';
import { money, Notice, TraceLink } from '../ui';
import { loadOrders, watchOrder } from './orders';
import { cart, checkoutTraces, MAX_QUANTITY, orders, session, stockChanged } from './session';

/** The test cards of the simulated provider (README). */
const CARDS = [
  { number: '4242424242424242', outcome: 'succeeds' },
  { number: '4000000000000002', outcome: 'is declined (402)' },
  { number: '4000000000000119', outcome: 'fails at the provider (502)' },
];

/** What the last checkout gave; an order's status is read live from My orders (paid, then fulfilled). */
type Outcome = { ok: boolean; traceId: string | null } & ({ orderId: string } | { text: string });

export function Cart() {
  const lines = useStore(cart);
  const current = useStore(session);
  const known = useStore(orders);
  const [card, setCard] = useState(CARDS[0].number);
  const [expiry, setExpiry] = useState({ month: '12', year: String(new Date().getFullYear() + 3), cvc: '123' });
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  // Where the customer came from, known only here at the edge: it travels as baggage (quest 10).
  const [campaign, setCampaign] = useState('');
  const [busy, setBusy] = useState(false);
  const total = lines.reduce((sum, l) => sum + l.product.price_cents * l.quantity, 0);
  const currency = lines[0]?.product.currency ?? 'USD';
  // A whole number up to the API's 100 (lineItem): 2.5 or 150 would only come back as a 400. More
  // than is in stock is let through: its 409 is a trace worth reading.
  const setQuantity = (id: string, typed: number) => {
    const quantity = Number.isFinite(typed) ? Math.min(Math.trunc(typed), MAX_QUANTITY) : Number.NaN;
    cart.set((all) => all.flatMap((l) => (l.product.id !== id || Number.isNaN(quantity) ? [l] : quantity > 0 ? [{ ...l, quantity }] : [])));
  };

  const pay = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!current) return;
    setBusy(true);
    const body = {
      items: lines.map((l) => ({ product_id: l.product.id, quantity: l.quantity })),
      payment: { card_number: card, exp_month: Number(expiry.month), exp_year: Number(expiry.year), cvc: expiry.cvc },
    };
    const before = new Set(orders.get().map((o) => o.id));
    const started = Date.now();
    const button = e.submitter ?? (e.currentTarget as HTMLFormElement);
    const answer = await inClickSpan(button, () =>
      shop<Order>('POST', '/api/orders', {
        body,
        token: current.token,
        baggage: campaign.trim() ? `shop.campaign=${encodeURIComponent(campaign.trim())}` : undefined,
      }),
    );
    setBusy(false);
    stockChanged.set((n) => n + 1);
    if (answer.ok && answer.data) {
      const order = answer.data;
      if (answer.traceId) checkoutTraces.set((t) => ({ ...t, [order.id]: answer.traceId! }));
      orders.set((list) => [order, ...list.filter((o) => o.id !== order.id)]);
      cart.set([]);
      setOutcome({ ok: true, traceId: answer.traceId, orderId: order.id });
      watchOrder(order.id, current.token);
    } else {
      setOutcome({ ok: false, text: `Checkout failed: ${describeError(answer, 'shop')}`, traceId: answer.traceId });
      // A declined or failed checkout still leaves an order behind, failed: show it, with this
      // checkout's trace when it is the one order new since (an error body names no order).
      await loadOrders(current.token);
      const placed = orders.get().filter((o) => !before.has(o.id) && o.status === 'failed' && Date.parse(o.created_at) > started - 5000);
      if (answer.traceId && placed.length === 1) checkoutTraces.set((t) => ({ ...t, [placed[0].id]: answer.traceId! }));
    }
  };

  return (
    <section class="panel" aria-labelledby="cart-h">
      <h2 id="cart-h">Cart</h2>
      {lines.length === 0 && <p class="muted">Your cart is empty.</p>}
      {lines.length > 0 && (
        <ul class="cart">
          {lines.map((l) => (
            <li key={l.product.id}>
              <span>{l.product.name}</span>
              <label class="qty">
                <span class="sr-only">Quantity of {l.product.name}</span>
                <input
                  type="number"
                  min={0}
                  max={MAX_QUANTITY}
                  step={1}
                  value={l.quantity}
                  onChange={(e) => setQuantity(l.product.id, Number(e.currentTarget.value))}
                />
              </label>
              <span>{money(l.product.price_cents * l.quantity, l.product.currency)}</span>
            </li>
          ))}
          <li class="cart-total">
            <span>Total</span>
            <span />
            <strong>{money(total, currency)}</strong>
          </li>
        </ul>
      )}
      <form onSubmit={pay} class="stack">
        <fieldset>
          <legend>Test card</legend>
          {CARDS.map((c) => (
            <label key={c.number} class="radio">
              <input type="radio" name="card" value={c.number} checked={card === c.number} onChange={() => setCard(c.number)} />
              <span class="mono">{c.number}</span> {c.outcome}
            </label>
          ))}
        </fieldset>
        <div class="row-fields">
          <label>
            Month
            <input
              type="number"
              min={1}
              max={12}
              required
              value={expiry.month}
              onInput={(e) => setExpiry({ ...expiry, month: e.currentTarget.value })}
            />
          </label>
          <label>
            Year
            <input
              type="number"
              min={2000}
              max={2100}
              required
              value={expiry.year}
              onInput={(e) => setExpiry({ ...expiry, year: e.currentTarget.value })}
            />
          </label>
          <label>
            CVC
            <input
              inputMode="numeric"
              pattern="[0-9]{3,4}"
              required
              value={expiry.cvc}
              onInput={(e) => setExpiry({ ...expiry, cvc: e.currentTarget.value })}
            />
          </label>
        </div>
        <label>
          Campaign (optional)
          <input
            name="campaign"
            maxLength={64}
            placeholder="spring-sale"
            value={campaign}
            aria-describedby="campaign-hint"
            onInput={(e) => setCampaign(e.currentTarget.value)}
          />
          <span class="hint" id="campaign-hint">
            Sent as the header <code>baggage: shop.campaign=…</code>: every hop of the checkout carries it on.
          </span>
        </label>
        <button id="checkout" type="submit" class="primary" disabled={busy || !current || lines.length === 0}>
          {current ? `Pay ${money(total, currency)}` : 'Log in to pay'}
        </button>
      </form>
      {outcome && (
        <Notice kind={outcome.ok ? 'ok' : 'error'}>
          {'orderId' in outcome
            ? `Order ${outcome.orderId.slice(0, 8)} is ${known.find((o) => o.id === outcome.orderId)?.status ?? 'paid'}.`
            : outcome.text}{' '}
          <TraceLink traceId={outcome.traceId} label="Open its trace" />
        </Notice>
      )}
    </section>
  );
}
