// What services import. Importing this never starts the SDK; register.ts (preloaded) does.
export { ATTR, BAGGAGE_ON_SPANS, EVENT, METRIC } from './attributes';
export { readTelemetryConfig, type TelemetryConfig, telemetryConfigSchema } from './config';
export { createLogger, flushLogs, type Logger } from './logger';
export { counter } from './metrics';
export { DROP_PROPAGATION, withoutPropagation } from './propagation';
export { maskedSecrets } from './redact';
export { currentTraceId, RESPONSE_ERROR, type ResponseError, recordError, recordMoment, withSpan } from './spans';
export { shutdown } from './state';
