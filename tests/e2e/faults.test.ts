import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FAULTS } from '@tracequest/faults';
import { eventually, request } from '@tracequest/testkit';
import { useStack } from '../src/harness';
import { type FlatSpan, traceIdOf } from '../src/jaeger';
import { CARDS, Shop } from '../src/shop';

// Short timeouts and retries so that timeouts and dead-lettering happen within a test's patience.
const h = useStack({
  serviceEnv: {
    order: { UPSTREAM_TIMEOUT_MS: '1000' },
    worker: { WORKER_MAX_ATTEMPTS: '2', WORKER_RETRY_DELAY_MS: '100' },
  },
});
let shop: Shop;
let product: string;

const admin = (method: string, path: string, body?: unknown) =>
  request(h.admin, method, path, { body, headers: { 'x-admin-token': h.stack.env.ADMIN_TOKEN } });

/** Sets a fault through the admin API and waits until every service has it. */
async function setFault(name: string, params: Record<string, unknown> = {}) {
  const res = await admin('PUT', `/admin/faults/${name}`, params);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  await h.faultsApplied();
}
async function reset() {
  assert.equal((await admin('DELETE', '/admin/faults')).status, 200);
  await h.faultsApplied();
}

async function checkout(card: string = CARDS.ok) {
  const res = await shop.checkout([{ product_id: product, quantity: 1 }], card);
  return { res, id: traceIdOf(res) };
}
/** The checkout's trace once it holds these services (and, optionally, a span that must be there). */
const traceOf = (id: string, services: string[], mustHave?: (s: FlatSpan) => boolean) =>
  h.jaeger.traceWith(id, services, { where: mustHave && ((spans) => spans.some(mustHave)) });

const span = (spans: FlatSpan[], service: string, name: string) => spans.find((s) => s.service === service && s.name === name);
const marked = (s: FlatSpan | undefined, fault: string) =>
  !!s && s.tags['fault.name'] === fault && s.events.some((e) => e.name === 'fault.injected');
const fulfilled = (s: FlatSpan) => s.service === 'order' && s.name === 'POST /orders/:id/fulfilment';

async function dlqDepth(): Promise<number> {
  const { RABBITMQ_UI_PORT: port, RABBITMQ_USER: user, RABBITMQ_PASSWORD: pass } = h.stack.env;
  const res = await fetch(`http://127.0.0.1:${port}/api/queues/%2F/worker.order-paid.dlq`, {
    headers: { authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` },
  });
  return ((await res.json()) as { messages?: number }).messages ?? 0;
}

/** For every fault in the registry: turned on, its documented symptom; turned off, gone. */
const SYMPTOMS: Record<string, { on: () => Promise<void>; off: () => Promise<void> }> = {
  latency: {
    async on() {
      await setFault('latency', { service: 'payment', ms: 300 });
      const { res, id } = await checkout();
      assert.equal(res.status, 201);
      const s = span(await traceOf(id, ['payment']), 'payment', 'POST /charges')!;
      assert.ok(s.durationMs >= 300, `payment span took ${s.durationMs} ms`);
      assert.ok(marked(s, 'latency'));
    },
    async off() {
      const { id } = await checkout();
      const s = span(await traceOf(id, ['payment']), 'payment', 'POST /charges')!;
      assert.ok(s.durationMs < 300 && !marked(s, 'latency'), `payment span took ${s.durationMs} ms`);
    },
  },
  error: {
    async on() {
      await setFault('error', { service: 'inventory', route: 'POST /reservations', status: 503 });
      const { res, id } = await checkout();
      assert.equal(res.status, 503);
      assert.equal(res.body.error.code, 'injected_error');
      // The fault answers before routing; the server span is named after the route all the same.
      const s = (await traceOf(id, ['inventory'])).find((x) => x.service === 'inventory' && x.kind === 'server')!;
      assert.equal(s.name, 'POST /reservations');
      assert.ok(s.error && s.tags['http.response.status_code'] === 503, JSON.stringify(s.tags));
      assert.equal(s.tags['error.type'], 'injected_error', "the service's own code names the error, not the status");
      assert.ok(marked(s, 'error'));
      assert.ok(s.events.some((e) => e.name === 'exception' && String(e.fields['exception.message']).includes('injected fault')));
      // The status message too, as on any span in error (the http instrumentation's own status has none).
      assert.match(String(s.tags['otel.status_description']), /injected fault/, JSON.stringify(s.tags));
    },
    async off() {
      assert.equal((await checkout()).res.status, 201);
    },
  },
  dependency_timeout: {
    async on() {
      await setFault('dependency_timeout', { service: 'payment', ms: 2500 });
      const { res, id } = await checkout();
      assert.equal(res.status, 502);
      assert.equal(res.body.error.code, 'payment_failed');
      // The hung server span ends when the caller gives up and closes the connection.
      const hung = (s: FlatSpan) => s.service === 'payment' && s.kind === 'server' && marked(s, 'dependency_timeout');
      const voids = (s: FlatSpan) => s.service === 'order' && s.kind === 'client' && String(s.tags['url.full']).endsWith('/voids');
      const spans = await h.jaeger.traceWith(id, ['payment'], { where: (all) => all.some(hung) && all.some(voids) });
      const step = span(spans, 'order', 'order.saga.charge_payment')!;
      const call = spans.find((s) => s.parentId === step.spanId && s.kind === 'client' && String(s.tags['url.full']).endsWith('/charges'))!;
      assert.ok(call.error && call.durationMs >= 900 && call.durationMs < 2000, `the call gave up after ${call.durationMs} ms`);
      assert.ok(spans.find((s) => s.service === 'payment' && s.kind === 'server')!.durationMs >= 900);
      // Order could not tell whether the card was charged, so it voided the order's payment: the
      // charge that went through once payment woke up is refunded, not kept.
      const orderId = String(step.tags['shop.order.id']);
      const compensate = spans.find((s) => s.parentId === step.spanId && s.name === 'order.saga.compensate')!;
      assert.ok(
        spans.some((s) => voids(s) && s.parentId === compensate.spanId),
        'order asked payment to void',
      );
      const statuses = async () =>
        (await h.db.query('SELECT status FROM payment.charges WHERE order_id = $1', [orderId])).rows.map((r) => r.status);
      await eventually(async () => (await statuses()).length > 0 && (await statuses()).every((st) => st === 'refunded'), 10_000, 250);
      // Payment did that work after order had hung up: the refund is in the trace all the same.
      const refunded = (all: FlatSpan[]) =>
        all.some((s) => s.service === 'payment' && s.events.some((e) => e.name === 'shop.payment.refunded'));
      assert.ok(refunded(await h.jaeger.traceWith(id, ['payment'], { where: refunded })));
    },
    async off() {
      assert.equal((await checkout()).res.status, 201);
    },
  },
  slow_query: {
    async on() {
      await setFault('slow_query', { ms: 300 });
      const res = await request(h.gateway, 'GET', '/api/products');
      const spans = await traceOf(traceIdOf(res), ['inventory']);
      const db = spans.find(
        (s) =>
          s.service === 'inventory' && s.kind === 'client' && /pg_sleep/.test(String(s.tags['db.query.text'] ?? s.tags['db.statement'])),
      );
      assert.ok(db && db.durationMs >= 300, `db span: ${db?.durationMs}`);
    },
    async off() {
      const spans = await traceOf(traceIdOf(await request(h.gateway, 'GET', '/api/products')), ['inventory']);
      assert.ok(!spans.some((s) => /pg_sleep/.test(String(s.tags['db.query.text'] ?? s.tags['db.statement'] ?? ''))));
    },
  },
  lock_contention: {
    async on() {
      await setFault('lock_contention', { hold_ms: 300 });
      const ids = (await Promise.all(Array.from({ length: 4 }, () => checkout()))).map((c) => c.id);
      const traces = await Promise.all(ids.map((id) => traceOf(id, ['inventory'], (s) => s.name === 'inventory.reserve_stock')));
      const waits = traces.map((spans) => span(spans, 'inventory', 'inventory.reserve_stock')!);
      assert.ok(waits.every((s) => marked(s, 'lock_contention')));
      const slowest = Math.max(...waits.map((s) => s.durationMs));
      assert.ok(slowest >= 800, `the last of 4 queued checkouts waited ${slowest} ms for the lock`);
      // The wait is in the reservation statement, by the name the scenario gives it.
      const statements = traces.map((spans) => span(spans, 'inventory', 'pg.query:reservation_reserve tracequest')?.durationMs ?? 0);
      assert.ok(Math.max(...statements) >= 800, `the slowest reservation statement took ${Math.max(...statements)} ms`);
      await setFault('lock_contention', { hold_ms: 300, fix: true });
      const fixed = await Promise.all(
        (await Promise.all(Array.from({ length: 4 }, () => checkout()))).map(
          async (c) =>
            span(await traceOf(c.id, ['inventory'], (s) => s.name === 'inventory.reserve_stock'), 'inventory', 'inventory.reserve_stock')!,
        ),
      );
      assert.ok(Math.max(...fixed.map((s) => s.durationMs)) < 300, 'with the fix, nobody waits');
    },
    async off() {
      const { id } = await checkout();
      const s = span(
        await traceOf(id, ['inventory'], (x) => x.name === 'inventory.reserve_stock'),
        'inventory',
        'inventory.reserve_stock',
      )!;
      assert.ok(s.durationMs < 300 && !marked(s, 'lock_contention'));
    },
  },
  n_plus_one: {
    async on() {
      const dbSpans = async () => {
        const spans = await traceOf(traceIdOf(await request(h.gateway, 'GET', '/api/products')), ['inventory']);
        return spans.filter((s) => s.service === 'inventory' && s.name.startsWith('pg.query')).length;
      };
      await setFault('n_plus_one');
      assert.ok((await dbSpans()) >= 21, 'one query for the ids, then one per product');
      await setFault('n_plus_one', { fix: true });
      assert.equal(await dbSpans(), 1, 'the fix loads the catalog in one query');
    },
    async off() {
      const spans = await traceOf(traceIdOf(await request(h.gateway, 'GET', '/api/products')), ['inventory']);
      assert.equal(spans.filter((s) => s.service === 'inventory' && s.name.startsWith('pg.query')).length, 1);
    },
  },
  payment_provider: {
    async on() {
      await setFault('payment_provider', { error_rate: 1 });
      const { res, id } = await checkout();
      assert.equal(res.status, 502);
      const s = span(await traceOf(id, ['payment']), 'payment', 'payment.provider.charge')!;
      assert.ok(s.error && s.tags['error.type'] === 'provider_error' && marked(s, 'payment_provider'));
    },
    async off() {
      assert.equal((await checkout()).res.status, 201);
    },
  },
  retry_storm: {
    async on() {
      const charges = async () => {
        const { id } = await checkout();
        const spans = await traceOf(id, ['payment'], (s) => s.name === 'order.saga.charge_payment');
        const step = span(spans, 'order', 'order.saga.charge_payment')!;
        const charges = spans.filter(
          (s) => s.parentId === step.spanId && s.kind === 'client' && String(s.tags['url.full']).endsWith('/charges'),
        );
        const retries = step.events.filter((e) => e.name === 'shop.retry');
        // Each says which retry it comes before: 1, 2, ...
        assert.deepEqual(
          retries.map((e) => e.fields['shop.retry.attempt']),
          retries.map((_, i) => i + 1),
        );
        // ...and how long the saga waits before it: nothing in the storm, a backoff once fixed.
        const delays = retries.map((e) => Number(e.fields['shop.retry.delay_ms']));
        assert.ok(delays.every(Number.isInteger), `each retry says its delay: ${delays.join(', ')}`);
        return { calls: charges.length, retries: retries.length, waited: delays.some((d) => d > 0) };
      };
      await setFault('payment_provider', { error_rate: 1 });
      await setFault('retry_storm', { retries: 5 });
      assert.deepEqual(await charges(), { calls: 6, retries: 5, waited: false });
      await setFault('retry_storm', { retries: 5, fix: true });
      assert.deepEqual(await charges(), { calls: 4, retries: 3, waited: true }, 'the fix retries 3 times, with backoff');
      await admin('DELETE', '/admin/faults/retry_storm');
      await h.faultsApplied();
      assert.deepEqual(await charges(), { calls: 1, retries: 0, waited: false });
    },
    async off() {
      assert.equal((await checkout()).res.status, 201);
    },
  },
  slow_worker: {
    async on() {
      await setFault('slow_worker', { ms: 800 });
      const { id } = await checkout();
      const s = span(await traceOf(id, ['worker'], fulfilled), 'worker', 'worker.fulfil_order')!;
      assert.ok(s.durationMs >= 800 && marked(s, 'slow_worker'), `fulfilment took ${s.durationMs} ms`);
    },
    async off() {
      const { id } = await checkout();
      const s = span(await traceOf(id, ['worker'], fulfilled), 'worker', 'worker.fulfil_order')!;
      assert.ok(s.durationMs < 800 && !marked(s, 'slow_worker'));
    },
  },
  poison_message: {
    async on() {
      const deadLettered = (spans: FlatSpan[]) => spans.some((s) => s.events.some((e) => e.name === 'shop.message.dead_lettered'));
      const before = await dlqDepth();
      await setFault('poison_message', { rate: 1 });
      const { res, id } = await checkout();
      assert.equal(res.status, 201);
      const spans = await traceOf(id, ['worker'], (s) => s.events.some((e) => e.name === 'shop.message.dead_lettered'));
      assert.ok(deadLettered(spans));
      const retried = spans.flatMap((s) => s.events.filter((e) => e.name === 'shop.retry'));
      assert.ok(retried.length > 0, 'retried before dead-lettering');
      // The consumer span holds the delivery while it waits: the event says for how long (100 ms here).
      assert.ok(
        retried.every((e) => e.fields['shop.retry.delay_ms'] === 100),
        `each retry waits WORKER_RETRY_DELAY_MS: ${retried.map((e) => e.fields['shop.retry.delay_ms'])}`,
      );
      assert.ok(spans.filter((s) => s.name === 'worker.fulfil_order').every((s) => s.error && marked(s, 'poison_message')));
      assert.equal((await shop.order(res.body.id)).body.status, 'paid', 'the order is never fulfilled');
      await eventually(async () => (await dlqDepth()) === before + 1, 10_000, 250);
      await setFault('poison_message', { rate: 1, fix: true });
      const fixed = await checkout();
      const fixedSpans = await traceOf(fixed.id, ['worker'], (s) => s.events.some((e) => e.name === 'shop.message.dead_lettered'));
      assert.ok(!fixedSpans.some((s) => s.events.some((e) => e.name === 'shop.retry')), 'the fix dead-letters at once');
    },
    async off() {
      const { res, id } = await checkout();
      await traceOf(id, ['worker'], fulfilled);
      await eventually(async () => (await shop.order(res.body.id)).body.status === 'fulfilled', 10_000);
    },
  },
  broken_propagation: {
    async on() {
      await setFault('broken_propagation', { hop: 'order->payment' });
      const { res, id } = await checkout();
      assert.equal(res.status, 201);
      const spans = await traceOf(id, ['gateway', 'order', 'inventory', 'worker'], fulfilled);
      assert.ok(!spans.some((s) => s.service === 'payment'), 'the trace splits at the hop');
      assert.ok(marked(span(spans, 'order', 'order.saga.charge_payment'), 'broken_propagation'));
      const orphan = await eventually(
        async () =>
          (await h.jaeger.traces('payment')).find(
            (t) => t.some((s) => s.name === 'POST /charges' && !s.parentId) && t.some((s) => s.tags['shop.order.id'] === res.body.id),
          ),
        10_000,
        500,
      );
      assert.notEqual(orphan[0].traceId, id, "payment's spans start a trace of their own");
    },
    async off() {
      const { id } = await checkout();
      await traceOf(id, ['payment', 'worker'], fulfilled);
    },
  },
  leaky_span: {
    async on() {
      const leaked = async () => {
        const { id } = await checkout();
        return span(await traceOf(id, ['payment'], (s) => s.name === 'payment.provider.charge'), 'payment', 'payment.provider.charge')!;
      };
      await setFault('leaky_span');
      const s = await leaked();
      assert.ok(marked(s, 'leaky_span'));
      // The Collector always masks a run of digits; the same number in groups gets through.
      assert.equal(s.tags['shop.payment.card_number'], '[card number redacted]', 'the Collector masks the plain number');
      const grouped = CARDS.ok.replace(/(\d{4})(?=\d)/g, '$1 ');
      assert.match(String(s.tags['shop.payment.note']), new RegExp(grouped), 'the number in groups reaches Jaeger');
    },
    async off() {
      const { id } = await checkout();
      const s = span(await traceOf(id, ['payment'], (x) => x.name === 'payment.provider.charge'), 'payment', 'payment.provider.charge')!;
      assert.equal(s.tags['shop.payment.card_number'], undefined);
      assert.equal(s.tags['shop.payment.note'], undefined);
    },
  },
  warehouse_notices: {
    async on() {
      await setFault('warehouse_notices');
      const { res, id } = await checkout();
      const orderId = res.body.id;
      // The notice arrives, but in a trace of its own: the batching timer lost the checkout's context.
      const own = await eventually(async () => {
        const found = await h.jaeger.search({
          service: 'inventory',
          operation: 'POST /warehouse/notices',
          tags: { 'shop.order.id': orderId },
        });
        return found.length ? found : undefined;
      }, 10_000);
      assert.notEqual(own[0][0].traceId, id);
      const checkoutSpans = await traceOf(id, ['payment']);
      assert.ok(!checkoutSpans.some((s) => s.name === 'POST /warehouse/notices'));
      const queued = span(checkoutSpans, 'order', 'order.saga.confirm');
      assert.equal(queued?.tags['fault.name'], 'warehouse_notices', 'the step that queues the notice is marked');
    },
    async off() {
      const { res } = await checkout();
      await new Promise((r) => setTimeout(r, 1000));
      const found = await h.jaeger.search({
        service: 'inventory',
        operation: 'POST /warehouse/notices',
        tags: { 'shop.order.id': res.body.id },
      });
      assert.equal(found.length, 0, 'no notice is sent while the switch is off');
    },
  },
};

describe('every fault in the registry, through the real pipeline', () => {
  before(async () => {
    shop = await new Shop(h.gateway).signUp();
    product = (await shop.plentiful()).id;
    await reset();
  });
  after(() => reset());

  for (const fault of FAULTS) {
    it(`when ${fault.name} is turned on at runtime, then its symptom shows in Jaeger; turned off, it is gone`, async () => {
      const check = SYMPTOMS[fault.name];
      assert.ok(check, `no symptom check for ${fault.name}: every registry fault needs one`);
      try {
        await check.on();
      } finally {
        await reset();
      }
      await check.off();
    });
  }

  it('when a fault is set, then every service applies it within 2 seconds, without a restart', async () => {
    const urls = h.stack.urls;
    const probes: Record<string, () => Promise<number>> = {
      gateway: async () => (await request(h.gateway, 'GET', '/api/products')).status,
      auth: async () => (await request(urls.auth, 'GET', '/users/00000000-0000-4000-8000-000000000000')).status,
      inventory: async () => (await request(urls.inventory, 'GET', '/products')).status,
      payment: async () => (await request(urls.payment, 'GET', '/charges/00000000-0000-4000-8000-000000000000')).status,
      // Faults apply before a caller is checked: no token is needed to see the 418.
      order: async () => (await request(urls.order, 'GET', '/orders')).status,
    };
    const timings: Record<string, number> = {};
    for (const [service, probe] of Object.entries(probes)) {
      const started = Date.now();
      assert.equal((await admin('PUT', '/admin/faults/error', { service, status: 418 })).status, 200);
      await eventually(async () => (await probe()) === 418, 2000, 25);
      timings[service] = Date.now() - started;
      await admin('DELETE', '/admin/faults/error');
      await eventually(async () => (await probe()) !== 418, 2000, 25);
    }
    console.log(`fault applied after (ms): ${JSON.stringify(timings)}`);
  });

  it('when inventory gets 200 ms of latency, then checkouts take about 200 ms longer (numbers printed)', async () => {
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const timed = async () => {
      const started = performance.now();
      const { res, id } = await checkout();
      assert.equal(res.status, 201);
      return { ms: performance.now() - started, id };
    };
    const base = [];
    for (let i = 0; i < 5; i++) base.push((await timed()).ms);
    await setFault('latency', { service: 'inventory', ms: 200 });
    const slow = [];
    for (let i = 0; i < 5; i++) slow.push(await timed());
    await reset();
    console.log(
      `checkout median: ${median(base).toFixed(1)} ms without, ${median(slow.map((s) => s.ms)).toFixed(1)} ms with 200 ms on inventory`,
    );
    // Inventory answers twice per checkout (reserve and commit): each server span carries 200 ms.
    const spans = await traceOf(slow[0].id, ['inventory'], (s) => s.name === 'POST /reservations/:id/commit');
    for (const name of ['POST /reservations', 'POST /reservations/:id/commit']) {
      const s = span(spans, 'inventory', name)!;
      assert.ok(s.durationMs >= 200 && s.durationMs < 1500, `${name} took ${s.durationMs} ms`);
      assert.equal(s.events.find((e) => e.name === 'fault.injected')?.fields['fault.latency_ms'], 200);
    }
  });
});
