import express from 'express';

/** The order service's fulfilment endpoint; chosen orders fail a number of times (or always). */
export function fakeOrderService() {
  const calls: { orderId: string; shipmentId: string; status: number }[] = [];
  const traceparents = new Map<string, string | undefined>();
  const failuresLeft = new Map<string, number>();
  const app = express();
  app.use(express.json());
  app.post('/orders/:id/fulfilment', (req, res) => {
    const orderId = req.params.id;
    const left = failuresLeft.get(orderId) ?? 0;
    const status = left > 0 ? 500 : 200;
    if (left > 0) failuresLeft.set(orderId, left - 1);
    calls.push({ orderId, shipmentId: req.body.shipment_id, status });
    traceparents.set(orderId, req.get('traceparent'));
    if (status === 500) return void res.status(500).json({ error: { code: 'internal_error', message: 'internal error' } });
    res.json({ id: orderId, status: 'fulfilled' });
  });
  const callsFor = (orderId: string) => calls.filter((c) => c.orderId === orderId);
  return { app, calls, callsFor, failuresLeft, traceparents };
}

/** Auth's user lookup: every user exists, with an address made from the id; records the lookups. */
export function fakeAuthService() {
  const lookups: { userId: string; traceparent?: string }[] = [];
  const app = express();
  app.get('/users/:id', (req, res) => {
    lookups.push({ userId: req.params.id, traceparent: req.get('traceparent') });
    res.json({ id: req.params.id, email: `${req.params.id.slice(0, 8)}@customers.example`, name: 'A Customer' });
  });
  return { app, lookups };
}
