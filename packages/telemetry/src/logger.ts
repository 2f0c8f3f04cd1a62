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

/** JSON logger; the pino instrumentation adds trace_id and span_id and exports each line over OTLP. */
export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, redact: { paths: REDACT, censor: '[redacted]' } });
}
export type { Logger };
