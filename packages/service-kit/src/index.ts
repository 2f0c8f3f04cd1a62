export { createServiceApp, type ReadinessCheck } from './app';
export { type CallOptions, HttpClient, type HttpResult } from './client';
export { ConfigError, env, loadConfig } from './config';
export { createPool, migrate, transaction } from './db';
export { AppError, badRequest, conflict, errorMiddleware, notFound, serverSpan, unauthorized } from './errors';
export { applyGenericFaults, faultMiddleware } from './faults';
export { runEvery } from './periodic';
export { type Closer, closeServer, handleShutdown, listen, runMain } from './server';
export { parse, uuidParam } from './validate';
