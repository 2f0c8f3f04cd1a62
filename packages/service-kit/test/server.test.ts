// Shutdown of a service's HTTP server: requests in flight are answered, and connections that carry
// none (idle keep-alive ones, and ones that never sent a byte) do not hold the stop up.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import express from 'express';
import { closeServer, listen } from '../src/server';

/** Whether a promise settles within ms: the drain limits below are far longer than the tests wait. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const settled = await Promise.race([promise.then(() => true), late]);
  clearTimeout(timer);
  return settled;
}

const connected = async (port: number) => {
  const socket = net.connect({ host: '127.0.0.1', port });
  await once(socket, 'connect');
  return socket;
};

describe('closeServer', () => {
  it('when a client has connected and sent nothing, then the server closes it and stops at once', async () => {
    const { server, port } = await listen(express(), 0);
    const silent = await connected(port);
    const ended = once(silent, 'close');
    const stopped = await within(closeServer(server, 120_000), 5000);
    if (!stopped) server.closeAllConnections();
    assert.equal(stopped, true, 'stopped without waiting for the silent connection');
    await ended;
  });

  it('when a request is in flight, then it is answered before the server stops; idle and silent connections close at once', async () => {
    let entered!: () => void;
    const inRoute = new Promise<void>((r) => {
      entered = r;
    });
    let release!: () => void;
    const released = new Promise<void>((r) => {
      release = r;
    });
    const app = express()
      .get('/quick', (_req, res) => void res.json({ quick: true }))
      .get('/slow', async (_req, res) => {
        entered();
        await released;
        res.json({ slow: true });
      });
    const { server, port } = await listen(app, 0);
    const answerOf = (socket: net.Socket) => {
      let text = '';
      socket.setEncoding('utf8').on('data', (c) => (text += c));
      return () => text;
    };
    // One keep-alive connection that has had its answer and sits idle, one that sent nothing.
    const idle = await connected(port);
    const idleText = answerOf(idle);
    idle.write('GET /quick HTTP/1.1\r\nhost: shop\r\n\r\n');
    while (!idleText().includes('{"quick":true}')) await new Promise((r) => setTimeout(r, 10));
    const silent = await connected(port);
    const slow = await connected(port);
    const slowText = answerOf(slow);
    slow.write('GET /slow HTTP/1.1\r\nhost: shop\r\n\r\n');
    await inRoute;

    let stopped = false;
    const stopping = closeServer(server, 120_000).then(() => {
      stopped = true;
    });
    assert.equal(await within(Promise.all([once(idle, 'close'), once(silent, 'close')]), 5000), true, 'idle and silent closed');
    assert.equal(stopped, false, 'still draining the request in flight');
    release();
    const done = await within(stopping, 5000);
    if (!done) server.closeAllConnections();
    assert.equal(done, true, 'stopped once the answer was out, without waiting for the keep-alive connection');
    assert.match(slowText(), /^HTTP\/1\.1 200 OK[\s\S]*\{"slow":true\}$/);
    slow.destroy();
  });
});
