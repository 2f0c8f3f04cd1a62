// Preloaded with `node --require @tracequest/telemetry/register`, before any app code, so that
// http, express, pg, amqplib, fetch (undici) and pino are patched when the app loads them.
// Configured only by the standard OTEL_* variables; this file sets nothing but safe defaults.

import { readTelemetryConfig, type TelemetryConfig } from './config';

function defaultEnv(name: string, value: string): void {
  if (!process.env[name]) process.env[name] = value;
}

// No cloud metadata lookups: a lab runs on a laptop, and those calls hang off-line.
defaultEnv('OTEL_NODE_RESOURCE_DETECTORS', 'env,host,os,process');
defaultEnv('OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf');

let config: TelemetryConfig;
try {
  config = readTelemetryConfig();
} catch (err) {
  // A bad value stops the process before the app starts, like the services' own config.
  process.stderr.write(`telemetry: ${(err as Error).message}\n`);
  process.exit(1);
}

if (!config.OTEL_SDK_DISABLED) (require('./sdk') as typeof import('./sdk')).startSdk(config);
