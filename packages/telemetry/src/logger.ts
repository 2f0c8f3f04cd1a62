import pino, { type Logger } from 'pino';

// Never let a secret reach a log line, whatever a handler passes in.
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'card_number',
  '*.card_number',
  'cvc',
  '*.cvc',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers["x-admin-token"]',
];

/** How long a log line may wait in the buffer before it is written. */
const FLUSH_EVERY_MS = 250;

/**
 * JSON logger to stdout; the pino instrumentation adds trace_id and span_id. Lines are buffered and
 * written a few KB at a time (at most FLUSH_EVERY_MS late): one write per line cost a system call
 * per request. The timer flushes only when a line was logged since it last ran: a flush of nothing
 * still writes (an empty write, through libuv's thread pool), four times a second in every idle
 * service. shutdown flushes what is left.
 */
export function createLogger(service: string, level: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
  let logged = false;
  setInterval(() => {
    if (!logged) return;
    logged = false;
    destination.flush();
  }, FLUSH_EVERY_MS).unref();
  const streamWrite = (line: string) => {
    logged = true;
    return line;
  };
  return pino({ name: service, level, redact: { paths: REDACT, censor: '[redacted]' }, hooks: { streamWrite } }, destination);
}
/**
 * Writes what the logger still holds, before the process exits: resolves once it is written, or
 * failed, or after timeoutMs. Left to pino's own flush at exit, a stdout that nobody reads any more
 * (the runner that started the service died) hangs the exit: its synchronous write retries a
 * broken pipe forever. Written here, the broken pipe fails once and pino stops writing.
 */
export function flushLogs(logger: Logger, timeoutMs = 2000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    logger.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
export type { Logger };
