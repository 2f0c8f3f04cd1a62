// The frame every service shares, against requests no client of the shop would send: each gets the
// one JSON error shape and a 4xx, and the route never runs.
import assert from 'node:assert/strict';
import { request as rawRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
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
