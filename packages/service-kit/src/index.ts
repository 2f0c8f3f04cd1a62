export { loadConfig, env, ConfigError } from './config';
export { AppError, badRequest, unauthorized, notFound, conflict, errorMiddleware, serverSpan } from './errors';
export { parse, uuidParam } from './validate';
export { createServiceApp, type ReadinessCheck } from './app';
export { listen, closeServer, handleShutdown, runMain, type Closer } from './server';
export { HttpClient, type HttpResult, type CallOptions } from './client';
export { createPool, migrate, transaction } from './db';
export { faultMiddleware, applyGenericFaults } from './faults';
export { runEvery } from './periodic';
