import path from 'node:path';
import type { ServiceClient } from '@tracequest/contracts';
import { databaseConfig, env, loadConfig, serviceConfig } from '@tracequest/service-kit';
import express from 'express';
import { z } from 'zod';

/** Whether Express takes the value as its "trust proxy" setting (it compiles the list at once). */
const trustsProxies = (value: string) => {
  try {
    express().set('trust proxy', value);
    return true;
  } catch {
    return false;
  }
};

export const configSchema = z.object({
  ...serviceConfig,
  AUTH_PORT: env.port(8081),
  ...databaseConfig,
  JWT_TTL_SECONDS: env.int(3600, 60, 86_400),
  SEED_DEMO_USERS: env.bool(true),
  // The client secrets of the services that call others as themselves (generated per install).
  ORDER_CLIENT_SECRET: env.secret(),
  WORKER_CLIENT_SECRET: env.secret(),
  /** Failed logins an account, and a client address, may have in one window; then 429 until it ends. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: env.int(5, 1, 1000),
  LOGIN_MAX_FAILURES_PER_CLIENT: env.int(50, 1, 100_000),
  LOGIN_FAILURE_WINDOW_SECONDS: env.int(300, 1, 86_400),
  /** Argon2 hashes at once, and how many more may wait; past both, 503 with Retry-After. */
  ARGON2_CONCURRENCY: env.int(3, 1, 64),
  ARGON2_QUEUE: env.int(64, 0, 10_000),
  /** The peers whose x-forwarded-for auth believes (Express "trust proxy"): the gateway's network. */
  TRUST_PROXY: z
    .string()
    .default('loopback, uniquelocal')
    .refine(trustsProxies, 'must be addresses, subnets (10.0.0.0/8) or loopback, linklocal, uniquelocal, comma separated'),
});

export type Config = z.infer<typeof configSchema>;
/** Each service client's secret, as auth checks them. */
export const clientSecrets = (c: Config): Record<ServiceClient, string> => ({
  order: c.ORDER_CLIENT_SECRET,
  worker: c.WORKER_CLIENT_SECRET,
});

export const authLimits = (c: Config) => ({
  logins: {
    perAccount: c.LOGIN_MAX_FAILURES_PER_ACCOUNT,
    perClient: c.LOGIN_MAX_FAILURES_PER_CLIENT,
    windowMs: c.LOGIN_FAILURE_WINDOW_SECONDS * 1000,
  },
  hashing: { concurrency: c.ARGON2_CONCURRENCY, queue: c.ARGON2_QUEUE },
  trustProxy: c.TRUST_PROXY,
});
export type AuthLimits = ReturnType<typeof authLimits>;
export const readConfig = (source = process.env): Config => loadConfig(configSchema, source);

export const SCHEMA = 'auth';
export const MIGRATIONS = path.join(__dirname, '../../migrations');
