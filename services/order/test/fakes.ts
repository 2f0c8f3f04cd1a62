import { randomUUID } from 'node:crypto';
import express from 'express';

const error = (code: string) => ({ error: { code, message: code.replace(/_/g, ' ') } });

/** Inventory's reservation contract, in memory. Unknown products are 404, listed ones may run out. */
export function fakeInventory() {
  const products = new Map<string, { sku: string; name: string; price_cents: number }>();
  const outOfStock = new Set<string>();
  const failing = new Set<string>();
  /** Products whose reserve is refused with a deliberate 503: an answer, so nothing was reserved. */
  const refusing = new Set<string>();
  /** Products whose reservation is no longer held when the order commits it. */
  const expiring = new Set<string>();
  /** Products whose commit fails with a 500. */
  const commitFailing = new Set<string>();
  /** Products whose reservation is made, but answered too late for order to hear. */
  const answeredLate = new Set<string>();
  const reservations = new Map<string, { orderId: string; productIds: string[] }>();
  const calls = {
    reserve: [] as { orderId: string; requestId?: string }[],
    commit: [] as string[],
    release: [] as string[],
    restock: [] as string[],
    releaseOrder: [] as string[],
  };
  const app = express();
  app.use(express.json());
  app.post('/reservations', async (req, res) => {
    const { order_id, items } = req.body as { order_id: string; items: { product_id: string; quantity: number }[] };
    calls.reserve.push({ orderId: order_id, requestId: req.get('x-request-id') });
    const ids = items.map((i) => i.product_id);
    if (ids.some((id) => failing.has(id))) return void res.status(500).json(error('internal_error'));
    if (ids.some((id) => refusing.has(id))) return void res.status(503).json(error('injected_error'));
    if (ids.some((id) => !products.has(id))) return void res.status(404).json(error('product_not_found'));
    if (ids.some((id) => outOfStock.has(id))) return void res.status(409).json(error('out_of_stock'));
    const id = randomUUID();
    reservations.set(id, { orderId: order_id, productIds: ids });
    if (ids.some((p) => answeredLate.has(p))) await new Promise((r) => setTimeout(r, 2500));
    const lines = items.map((i) => ({ product_id: i.product_id, quantity: i.quantity, ...products.get(i.product_id)! }));
    res.status(201).json({
      id,
      order_id,
      status: 'held',
      expires_at: new Date(Date.now() + 600_000).toISOString(),
      total_cents: lines.reduce((sum, l) => sum + l.quantity * l.price_cents, 0),
      currency: 'EUR',
      items: lines,
    });
  });
  app.post('/reservations/:id/commit', (req, res) => {
    calls.commit.push(req.params.id);
    const r = reservations.get(req.params.id);
    if (r?.productIds.some((id) => commitFailing.has(id))) return void res.status(500).json(error('internal_error'));
    if (!r || r.productIds.some((id) => expiring.has(id))) return void res.status(409).json(error('reservation_not_held'));
    res.json({ id: req.params.id, status: 'committed' });
  });
  /** Reservations already committed: releasing them is refused. */
  const committed = new Set<string>();
  /** Reservations inventory has no record of (its data was reset): releasing them is a 404. */
  const unknown = new Set<string>();
  app.post('/reservations/release', (req, res) => {
    calls.releaseOrder.push(req.body.order_id);
    const held = [...reservations].find(([, r]) => r.orderId === req.body.order_id);
    res.json({ order_id: req.body.order_id, reservation_id: held?.[0] ?? randomUUID(), status: 'released' });
  });
  app.post('/reservations/:id/restock', (req, res) => {
    calls.restock.push(req.params.id);
    committed.delete(req.params.id);
    res.json({ id: req.params.id, status: 'released' });
  });
  app.post('/reservations/:id/release', (req, res) => {
    calls.release.push(req.params.id);
    if (committed.has(req.params.id)) return void res.status(409).json(error('reservation_committed'));
    if (unknown.has(req.params.id)) return void res.status(404).json(error('not_found'));
    res.json({ id: req.params.id, status: 'released' });
  });
  const addProduct = (price_cents = 1250) => {
    const id = randomUUID();
    products.set(id, { sku: `SKU-${id.slice(0, 6)}`, name: `Product ${id.slice(0, 4)}`, price_cents });
    return id;
  };
  return {
    app,
    products,
    outOfStock,
    failing,
    refusing,
    expiring,
    commitFailing,
    answeredLate,
    committed,
    unknown,
    reservations,
    calls,
    addProduct,
  };
}

// Card numbers pick the outcome, like the test cards of real payment providers.
export const CARDS = {
  ok: '4242424242424242',
  declined: '4000000000000002',
  expired: '4000000000000069',
  invalid: '4242424242424241',
  providerError: '4000000000000119',
};
const OUTCOMES: Record<string, [number, string]> = {
  [CARDS.declined]: [402, 'card_declined'],
  [CARDS.expired]: [402, 'expired_card'],
  [CARDS.invalid]: [400, 'invalid_card_number'],
  [CARDS.providerError]: [502, 'provider_error'],
};

/** Payment's charge contract, in memory; records calls without the card data. */
export function fakePayment() {
  const calls = {
    charge: [] as { orderId: string; amountCents: number; idempotencyKey?: string; requestId?: string; chargeId?: string }[],
    refund: [] as string[],
    void: [] as string[],
  };
  const app = express();
  app.use(express.json());
  app.post('/charges', (req, res) => {
    const { order_id, amount_cents, currency, card } = req.body;
    const call = {
      orderId: order_id,
      amountCents: amount_cents,
      idempotencyKey: req.get('idempotency-key'),
      requestId: req.get('x-request-id'),
    };
    calls.charge.push(call);
    const outcome = OUTCOMES[card.card_number];
    if (outcome) return void res.status(outcome[0]).json(error(outcome[1]));
    const id = randomUUID();
    Object.assign(call, { chargeId: id });
    res.status(201).json({ id, order_id, status: 'succeeded', amount_cents, currency, card_last4: card.card_number.slice(-4) });
  });
  /** Orders whose void fails with a 500. */
  const voidFailing = new Set<string>();
  app.post('/voids', (req, res) => {
    calls.void.push(req.body.order_id);
    if (voidFailing.has(req.body.order_id)) return void res.status(500).json(error('internal_error'));
    res.json({ order_id: req.body.order_id, status: 'voided', refunded_charge_ids: [] });
  });
  app.post('/charges/:id/refund', (req, res) => {
    calls.refund.push(req.params.id);
    res.json({ id: req.params.id, status: 'refunded' });
  });
  return { app, calls, voidFailing };
}
