import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventually, request } from '@tracequest/testkit';
import { CONTRACT, contractViolations } from '../src/contract';
import { useStack } from '../src/harness';
import { type FlatSpan, traceIdOf } from '../src/jaeger';
import { CARDS, CVC, PASSWORD, Shop } from '../src/shop';

// Logs go out over OTLP as in compose (the native run keeps them in files only, by default).
const h = useStack({ env: { OTEL_LOGS_EXPORTER: 'otlp' } });
const SERVICES = CONTRACT.checkout.services;
/** Trace ids of every request this file sent through the gateway. */
const ours = new Set<string>();
let shop: Shop;

async function placeOrder(card: string = CARDS.ok) {
  shop ??= await new Shop(h.gateway).signUp();
  const product = await shop.plentiful();
  const res = await shop.checkout([{ product_id: product.id, quantity: 1 }], card);
  ours.add(traceIdOf(res));
  return res;
}

const find = (spans: FlatSpan[], service: string, name: string) => spans.find((s) => s.service === service && s.name === name);

describe('one trace per checkout', () => {
  it('when 5 checkouts go through the gateway, then each is one trace that matches the trace contract', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await placeOrder();
      assert.equal(res.status, 201, JSON.stringify(res.body));
      ids.push(traceIdOf(res));
    }
    for (const id of ids) {
      const spans = await h.jaeger.traceWith(id, SERVICES, { where: (s) => !!find(s, 'order', 'POST /orders/:id/fulfilment') });
      assert.deepEqual(contractViolations(spans), [], `trace ${id}`);
      assert.ok(spans.every((s) => s.traceId === id));
    }
  });

  it('when the checkouts are done, then no orphan trace exists: every trace starts at the gateway with an id a response returned', async () => {
    for (const id of shop.traceIds) ours.add(id);
    await new Promise((r) => setTimeout(r, 2000));
    const orphans: string[] = [];
    for (const service of SERVICES) {
      for (const trace of await h.jaeger.traces(service)) {
        const root = trace.find((s) => !s.parentId);
        const fromGateway = root?.service === 'gateway' && root.kind === 'server';
        // The reservation sweeper is a background job: it traces only when it expires something.
        const sweeper = root?.name === 'inventory.expire_reservations';
        if (!sweeper && (!fromGateway || !ours.has(trace[0].traceId)))
          orphans.push(`${trace[0].traceId} (${service}: root ${root ? `${root.service} ${root.name}` : 'missing'})`);
      }
    }
    assert.deepEqual(orphans, []);
  });

  it('when a card is declined, then payment has an ERROR span, the error reaches order and gateway, and the client gets 402 with the trace id', async () => {
    const res = await placeOrder(CARDS.declined);
    assert.equal(res.status, 402);
    const id = traceIdOf(res);
    assert.equal(res.body.error.trace_id, id, 'the error body names the trace');
    const spans = await h.jaeger.traceWith(id, ['gateway', 'order', 'payment', 'inventory']);
    const charge = find(spans, 'payment', 'payment.provider.charge')!;
    assert.ok(charge.error, 'provider span is ERROR');
    assert.equal(charge.tags['error.type'], 'card_declined');
    assert.ok(
      charge.events.some((e) => e.name === 'exception'),
      'the exception is recorded',
    );
    assert.ok(find(spans, 'payment', 'POST /charges')!.error, 'payment server span is ERROR');
    assert.ok(find(spans, 'order', 'order.saga.charge_payment')!.error, 'the saga step is ERROR');
    assert.ok(find(spans, 'order', 'POST /orders')!.error, 'order server span is ERROR');
    const root = find(spans, 'gateway', 'POST /api/orders')!;
    assert.ok(root.error, 'gateway server span is ERROR');
    assert.equal(root.tags['http.response.status_code'], 402);
    assert.ok(find(spans, 'order', 'order.saga.compensate'), 'the reservation is released in a compensation step');
  });

  it('when requests carried a password, a token, a card and a CVC, then no span attribute, event or log line holds a password, JWT, card number or CVC', async () => {
    const jwt = /eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/;
    const leaks: string[] = [];
    const check = (where: string, key: string, value: unknown) => {
      const v = String(value);
      if (v.includes(PASSWORD) || jwt.test(v) || v.includes(CARDS.ok) || v.includes(CARDS.declined) || /^\d{13,19}$/.test(v))
        leaks.push(`${where} ${key}=${v.slice(0, 40)}`);
      if (/cvc|card_number|password|authorization/i.test(key)) leaks.push(`${where} has key ${key}`);
      if (/cvc/i.test(key) || v === CVC) leaks.push(`${where} ${key} looks like the CVC`);
    };
    for (const id of ours) {
      for (const s of (await h.jaeger.trace(id)) ?? []) {
        for (const [k, v] of Object.entries(s.tags)) check(`${s.service}/${s.name}`, k, v);
        for (const e of s.events) for (const [k, v] of Object.entries(e.fields)) check(`${s.service}/${s.name}/event`, k, v);
      }
    }
    for (const service of SERVICES) {
      const raw = h.rawLogs(service);
      for (const needle of [PASSWORD, CARDS.ok, CARDS.declined, shop.token!])
        if (raw.includes(needle)) leaks.push(`${service}.log contains a secret`);
      if (jwt.test(raw)) leaks.push(`${service}.log contains a JWT`);
      if (/"cvc"\s*:\s*"\d/.test(raw)) leaks.push(`${service}.log contains a CVC`);
    }
    assert.deepEqual(leaks, []);
  });

  it('when a client puts a password and a token in the query string, then the span keeps the names, every value REDACTED', async () => {
    const res = await request(h.gateway, 'GET', `/api/products?password=${PASSWORD}&access_token=${shop.token}&page=2`);
    assert.equal(res.status, 200);
    const spans = await h.jaeger.traceWith(traceIdOf(res), ['gateway']);
    const server = spans.find((s) => s.service === 'gateway' && s.kind === 'server')!;
    assert.equal(server.tags['url.query'], 'password=REDACTED&access_token=REDACTED&page=REDACTED');
    const all = JSON.stringify(spans);
    assert.ok(!all.includes(PASSWORD) && !all.includes(shop.token!), 'neither value is anywhere in the trace');
    assert.ok(!h.rawLogs('gateway').includes(PASSWORD), "nor in the gateway's log");
  });

  it('when a client puts its token in the path, then the span and the log line show the path with the token masked', async () => {
    const res = await request(h.gateway, 'GET', `/api/products/${shop.token}`);
    assert.equal(res.status, 404);
    const spans = await h.jaeger.traceWith(traceIdOf(res), ['gateway']);
    const server = spans.find((s) => s.service === 'gateway' && s.kind === 'server')!;
    assert.equal(server.tags['url.path'], '/api/products/[token redacted]');
    assert.ok(!JSON.stringify(spans).includes(shop.token!), 'the token is nowhere in the trace');
    await eventually(async () => h.logs('gateway').some((l) => l.path === '/api/products/[token redacted]'), 5000);
    assert.ok(!h.rawLogs('gateway').includes(shop.token!), "nor in the gateway's log");
  });

  it("when a checkout is logged, then its log lines carry the checkout's trace id and, when asked to, go out over OTLP", async () => {
    const res = await placeOrder();
    const id = traceIdOf(res);
    // Log lines are written in batches: wait until every service's have landed, or time out.
    const six = ['gateway', 'auth', 'order', 'inventory', 'payment', 'worker'];
    await eventually(async () => six.every((s) => h.logs(s).some((l) => l.trace_id === id)), 10_000).catch(() => undefined);
    for (const service of six) {
      const lines = h.logs(service).filter((l) => l.trace_id === id);
      assert.ok(lines.length > 0, `${service} logged in the checkout's trace`);
      assert.ok(lines.every((l) => typeof l.span_id === 'string' && (l.span_id as string).length === 16));
    }
    const gatewayLine = h.logs('gateway').find((l) => l.path === '/api/orders' && l.status === 201 && l.trace_id === id);
    assert.ok(gatewayLine, 'the gateway request log line has the trace id');
    const exported = await eventually(
      async () => {
        const text = await (await fetch('http://127.0.0.1:8888/metrics')).text();
        const m = /otelcol_receiver_accepted_log_records(?:_total)?\{[^}]*\} (\d+)/.exec(text);
        return m ? Number(m[1]) : 0;
      },
      15_000,
      500,
    );
    assert.ok(exported > 0);
  });

  it('when checkouts ran, then business counters, HTTP duration histograms, runtime and span metrics reach the Collector', async () => {
    const names = await eventually(
      async () => {
        const text = await (await fetch(h.stack.urls.collectorMetrics!)).text();
        const have = (n: string) => text.includes(n);
        return have('shop_orders_placed_total') && have('shop_orders_failed_total') && have('shop_payments_declined_total') && text;
      },
      30_000,
      500,
    );
    for (const n of [
      'http_server_request_duration_seconds_bucket',
      'traces_span_metrics_calls_total',
      'traces_span_metrics_duration_milliseconds_bucket',
    ])
      assert.ok(names.includes(n), `${n} is exported`);
    assert.match(names, /traces_span_metrics_calls_total\{[^}]*service_name="worker"/);
    // The runtime metrics are read when the metrics are sent: how busy each event loop was since the
    // last send, its heap and its RSS. No event loop delay: its sampler woke every service a hundred
    // times a second.
    const busy = [...names.matchAll(/^nodejs_eventloop_utilization_ratio\{[^}]*job="(\w+)"[^}]*\} (\S+)$/gm)];
    assert.deepEqual(
      [...new Set(busy.map(([, job]) => job))].sort(),
      [...SERVICES].sort(),
      'every service reports its event loop utilization',
    );
    for (const [, job, value] of busy) assert.ok(Number(value) > 0 && Number(value) < 1, `${job}'s event loop utilization is ${value}`);
    assert.match(names, /^v8js_memory_heap_used_bytes\{[^}]*v8js_heap_space_name="new_space"/m);
    assert.match(names, /^process_memory_usage_bytes\{[^}]*job="order"[^}]*\} \d/m);
    assert.doesNotMatch(names, /^nodejs_eventloop_delay_/m);
    // Queries are timed by their spans; the pg instrumentation's own metrics were recorded per query
    // and read by nothing.
    assert.doesNotMatch(names, /^db_client_/m);
  });
});

describe('span links instead of parent-child across the queue', () => {
  it('when the worker consumes with TRACE_CONSUME_AS=link, then its processing is a separate trace linked to the publish span', async () => {
    await h.stack.stopService('worker');
    await h.stack.startService('worker', { TRACE_CONSUME_AS: 'link' });
    try {
      const res = await placeOrder();
      const id = traceIdOf(res);
      const checkout = await h.jaeger.traceWith(id, ['gateway', 'order', 'payment'], {
        where: (s) => !!find(s, 'order', 'publish shop.events'),
      });
      const publish = find(checkout, 'order', 'publish shop.events')!;
      const linked = await eventually(
        async () => {
          for (const t of await h.jaeger.traces('worker'))
            for (const s of t) if (s.links.some((l) => l.traceId === id && l.spanId === publish.spanId)) return { trace: t, span: s };
          return undefined;
        },
        15_000,
        500,
      );
      assert.notEqual(linked.span.traceId, id, 'the worker trace is a trace of its own');
      assert.equal(linked.span.kind, 'consumer');
      assert.ok(!linked.span.parentId, 'the consumer span is the root of its trace');
      assert.ok(find(linked.trace, 'worker', 'worker.fulfil_order'));
      await new Promise((r) => setTimeout(r, 1000));
      assert.ok(!((await h.jaeger.trace(id)) ?? []).some((s) => s.service === 'worker'), 'no worker span in the checkout trace');
      ours.add(linked.span.traceId);
    } finally {
      await h.stack.stopService('worker');
      await h.stack.startService('worker');
    }
  });
});
