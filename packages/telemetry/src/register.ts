// Preloaded with `node --require @tracequest/telemetry/register`, before any app code, so that
// http, express, pg, amqplib, fetch (undici) and pino are patched when the app loads them.
// Configured only by the standard OTEL_* variables (and TRACE_CONSUME_AS), checked first.

import * as nodeModule from 'node:module';
import { readTelemetryConfig, type TelemetryConfig } from './config';

// V8 keeps the bytecode of what it compiles on disk (NODE_COMPILE_CACHE, or node-compile-cache in
// the OS's temp folder) and the next start reuses it: the SDK and the app load faster from the
// second start on (docs/performance.md). Where the folder cannot be written, nothing changes;
// a Node older than the pinned one has no such cache, and starts as before.
nodeModule.enableCompileCache?.();

let config: TelemetryConfig;
try {
  config = readTelemetryConfig();
} catch (err) {
  // A bad value stops the process before the app starts, like the services' own config.
  process.stderr.write(`telemetry: ${(err as Error).message}\n`);
  process.exit(1);
}

if (!config.OTEL_SDK_DISABLED) (require('./sdk') as typeof import('./sdk')).startSdk(config);
