import { type Server, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { flushLogs, type Logger, shutdown as shutdownTelemetry } from '@tracequest/telemetry';
import type { Express } from 'express';
import { ConfigError } from './config';
import { closeServer as drain, trackConnections } from './drain';

export interface Closer {
  name: string;
  close: () => Promise<unknown> | unknown;
}

const DRAIN_TIMEOUT_MS = 10_000;

const MALFORMED: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'the request headers are too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'the request took too long to arrive'],
};

/**
 * A request Node cannot parse (headers too large, a broken request line) never reaches the app:
 * it still gets the one JSON error shape, then the connection closes.
 */
function answerMalformed(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') return void socket.destroy();
  const [status, code, message] = MALFORMED[err.code ?? ''] ?? [400, 'bad_request', 'the request could not be parsed'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Starts listening (on loopback unless told); resolves with the server and the port it got (port 0 picks a free one). */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
    server.on('clientError', answerMalformed);
    trackConnections(server);
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.requestTimeout = 30_000;
  });
}

/** Stops accepting connections and waits for in-flight requests, up to a limit (drain.ts). */
export function closeServer(server: Server, timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  return drain(server, timeoutMs);
}

/**
 * The one owner of shutdown. On SIGTERM or SIGINT it runs the closers in the order given
 * (stop accepting, drain, close the channel, end the pool, ...), then flushes telemetry last.
 */
export function handleShutdown(logger: Logger, closers: Closer[]): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    let code = 0;
    for (const c of closers) {
      try {
        await c.close();
      } catch (err) {
        code = 1;
        logger.error({ err, step: c.name }, 'shutdown step failed');
      }
    }
    logger.info('stopped');
    await shutdownTelemetry().catch(() => undefined);
    await flushLogs(logger);
    process.exit(code);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}

/** Runs a service's async main; a bad config or a failed start stops the process with a clear message. */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch(async (err) => {
    if (err instanceof ConfigError) process.stderr.write(`${name}: ${err.message}\n`);
    else process.stderr.write(`${name}: failed to start: ${(err as Error)?.stack ?? err}\n`);
    await shutdownTelemetry().catch(() => undefined);
    process.exit(1);
  });
}
