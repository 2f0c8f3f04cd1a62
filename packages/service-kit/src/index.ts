export { createServiceApp, type ReadinessCheck } from './app';
export { type CallOptions, HttpClient, type HttpResult } from './client';
export { ConfigError, databaseConfig, env, LOG_LEVELS, loadConfig, serviceConfig } from './config';
export { createPool, type Db, migrate, transaction } from './db';
export { AppError, badRequest, conflict, errorMiddleware, notFound, serverSpan, unauthorized } from './errors';
export { applyGenericFaults, faultMiddleware } from './faults';
export { runEvery } from './periodic';
export { type Closer, closeServer, handleShutdown, listen, runMain } from './server';
export { parse, pathId } from './validate';
