// Preloaded with `node --require @tracequest/telemetry/register`, before any app code, so that
// http, pg, amqplib, fetch (undici) and pino are patched when the app loads them.
// Configured only by the standard OTEL_* variables (and TRACE_CONSUME_AS), checked first.

import { readTelemetryConfig, type TelemetryConfig } from './config';

let config: TelemetryConfig;
try {
  config = readTelemetryConfig();
} catch (err) {
  // A bad value stops the process before the app starts, like the services' own config.
  process.stderr.write(`telemetry: ${(err as Error).message}\n`);
  process.exit(1);
}

if (!config.OTEL_SDK_DISABLED) (require('./sdk') as typeof import('./sdk')).startSdk(config);
