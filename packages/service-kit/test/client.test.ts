// HttpClient's deadline: a callee that never answers, or stops half-way through its answer, is a
// 504 upstream_timeout once the deadline passes, not before.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { HttpClient } from '../src/client';
import { AppError } from '../src/errors';

async function listen(handler: RequestListener) {
  const server = createServer(handler).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('HttpClient deadline', () => {
  it('when the callee never answers, or stalls mid-body, then the call is 504 upstream_timeout at the deadline', async () => {
    const { server, url } = await listen((req, res) => {
      if (req.url === '/stall') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"partial":');
      }
      // /silent: nothing at all
    });
    try {
      const client = new HttpClient('slow', url, 150);
      for (const path of ['/silent', '/stall']) {
        const started = Date.now();
        await assert.rejects(
          client.call('GET', path),
          (err) => err instanceof AppError && err.status === 504 && err.code === 'upstream_timeout',
        );
        assert.ok(Date.now() - started >= 140, `${path} gave up before its deadline`);
      }
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
