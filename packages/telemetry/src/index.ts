// What services import. Importing this never starts the SDK; register.ts (preloaded) does.
export { ATTR, EVENT, METRIC, BAGGAGE_ON_SPANS } from './attributes';
export { recordError, recordMoment, withSpan, currentTraceId } from './spans';
export { createLogger, type Logger } from './logger';
export { shutdown } from './state';
export { DROP_PROPAGATION, withoutPropagation } from './propagation';
