import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, shutdown as shutdownTelemetry } from '@tracequest/telemetry';
import type { Express } from 'express';
import { ConfigError } from './config';

export interface Closer {
  name: string;
  close: () => Promise<unknown> | unknown;
}

const DRAIN_TIMEOUT_MS = 10_000;

/** Starts listening (on loopback unless told); resolves with the server and the port it got (port 0 picks a free one). */
export function listen(app: Express, port: number, host = '127.0.0.1'): Promise<{ server: Server; port: number }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      resolve({ server, port: (server.address() as AddressInfo).port });
    });
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
    server.requestTimeout = 30_000;
  });
}

/** Stops accepting connections and waits for in-flight requests, up to a limit. */
export function closeServer(server: Server, timeoutMs = DRAIN_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => server.closeAllConnections(), timeoutMs);
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    server.closeIdleConnections();
  });
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
