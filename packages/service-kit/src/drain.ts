// Stopping an HTTP server without cutting an answer short or waiting on connections that carry
// none. No dependency beyond Node: the console, which runs without the shop's telemetry, uses it too.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Each server's open connections. Node's closeIdleConnections() leaves a connection that has not
 * sent a byte yet (a browser's preconnect, a port probe): a stop would wait its whole limit for it.
 */
const connections = new WeakMap<Server, Set<Socket>>();

/** Keeps track of the server's connections for closeServer; call it in the tick that made the server. */
export function trackConnections(server: Server): void {
  const open = new Set<Socket>();
  connections.set(server, open);
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
}

/**
 * Stops accepting connections and waits for in-flight requests, up to a limit. A connection with
 * no request in flight is closed: at once if idle or silent, and as soon as its last answer is out
 * (Node keeps a keep-alive connection open after answering, even on a closing server).
 */
export function closeServer(server: Server, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const open = connections.get(server) ?? new Set<Socket>();
    const sweep = () => {
      server.closeIdleConnections();
      for (const socket of open) if (socket.bytesRead === 0) socket.destroy();
    };
    const sweeping = setInterval(sweep, 50);
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearInterval(sweeping);
      clearTimeout(force);
      resolve();
    });
    sweep();
  });
}
