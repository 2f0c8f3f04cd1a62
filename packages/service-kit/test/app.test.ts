// The frame every service shares, against requests no client of the shop would send: each gets the
// one JSON error shape and a 4xx, and the route never runs.
import assert from 'node:assert/strict';
import { createServer, request as rawRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { context, INVALID_SPAN_CONTEXT, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { type RPCMetadata, RPCType, setRPCMetadata } from '@opentelemetry/core';
import type { Faults } from '@tracequest/faults';
import { createLogger } from '@tracequest/telemetry';
import { Router } from 'express';
import { createServiceApp } from '../src/app';
import { listen } from '../src/server';

let url: string;
let port: number;
let close: () => void;
let ran = 0;

before(async () => {
  const routes = Router().post('/echo', (req, res) => {
    ran++;
    res.json(req.body);
  });
  const started = await listen(createServiceApp({ logger: createLogger('app-test', 'silent'), routes }), 0);
  port = started.port;
  url = `http://127.0.0.1:${port}`;
  close = () => started.server.close();
});
after(() => close());

const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${url}/echo`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

describe('the service frame, against bodies and headers no client sends', () => {
  it('when a body is compressed (even validly), then 415 unsupported_encoding, and it is never inflated', async () => {
    for (const [encoding, body] of [
      ['gzip', Buffer.from('not gzip')],
      ['gzip', gzipSync('{"a":1}')],
      ['zstd', Buffer.from('not zstd')],
      ['deflate', Buffer.from('x')],
    ] as const) {
      const res = await post(body, { 'content-encoding': encoding });
      assert.equal(res.status, 415, encoding);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'unsupported_encoding');
    }
    assert.equal(ran, 0);
  });

  it('when a body is nested deeper than 32 levels, then 400 invalid_json; 32 levels are fine', async () => {
    const deep = await post(`${'['.repeat(15_000)}${']'.repeat(15_000)}`);
    assert.equal(deep.status, 400);
    assert.match(((await deep.json()) as { error: { message: string } }).error.message, /nested deeper than 32/);
    const objects = await post(`${'{"a":'.repeat(33)}1${'}'.repeat(33)}`);
    assert.equal(objects.status, 400);
    assert.equal(ran, 0);
    const fine = await post(`${'['.repeat(32)}${']'.repeat(32)}`);
    assert.equal(fine.status, 200);
  });

  it('when the headers are too large for Node to parse, then 431 with the JSON error shape', async () => {
    const { status, type, body } = await new Promise<{ status?: number; type?: string; body: string }>((resolve, reject) => {
      const req = rawRequest({ port, path: '/echo', method: 'GET', headers: { 'x-big': 'x'.repeat(20_000) } }, (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: text }));
      });
      req.on('error', reject);
      req.end();
    });
    assert.equal(status, 431);
    assert.equal(type, 'application/json');
    assert.equal((JSON.parse(body) as { error: { code: string } }).error.code, 'headers_too_large');
  });
});

describe('the service frame, on answers', () => {
  it('when a route answers JSON, then no ETag is computed for it: no client of the shop revalidates', async () => {
    const res = await post('{"a":1}');
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { a: 1 });
    assert.equal(res.headers.get('etag'), null);
  });
});

describe('the service frame, on the server span', () => {
  // What the http instrumentation does for each request it traces: a context carrying the request's
  // RPC metadata, from which it names the server span when the span ends.
  const served = async (method: string, path: string, fault?: Faults) => {
    const routes = Router()
      .post('/orders', (_req, res) => void res.status(201).json({}))
      .post('/orders/:id/fulfilment', (_req, res) => void res.json({}));
    const app = createServiceApp({ logger: createLogger('app-test', 'silent'), routes, faults: fault });
    const metadata: RPCMetadata = { type: RPCType.HTTP, span: trace.wrapSpanContext(INVALID_SPAN_CONTEXT) };
    const server = createServer((req, res) => context.with(setRPCMetadata(ROOT_CONTEXT, metadata), () => app(req, res)));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
      return { status: res.status, route: metadata.route };
    } finally {
      server.close();
    }
  };
  before(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
  after(() => context.disable());

  it('when a request matches a route, then its span is named after the route, parameters as declared', async () => {
    assert.deepEqual(await served('POST', '/orders'), { status: 201, route: '/orders' });
    assert.deepEqual(await served('POST', `/orders/${crypto.randomUUID()}/fulfilment`), { status: 200, route: '/orders/:id/fulfilment' });
  });

  it('when a fault answers before the route runs, then the span still carries the route', async () => {
    const faults = {
      service: 'order',
      get: async (name: string) => (name === 'error' ? { service: 'order', route: '', status: 503, rate: 1 } : undefined),
    };
    assert.deepEqual(await served('POST', '/orders', faults as unknown as Faults), { status: 503, route: '/orders' });
  });

  it('when no route matches, or not with this method, then the span gets no route', async () => {
    assert.deepEqual(await served('POST', '/nowhere'), { status: 404, route: undefined });
    assert.deepEqual(await served('DELETE', '/orders'), { status: 405, route: undefined });
  });
});
