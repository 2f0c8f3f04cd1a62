import { readFileSync } from 'node:fs';
import { parseFaultsEnv } from '@tracequest/faults';
import { z } from 'zod';
import type { PoolOptions } from './db';

export class ConfigError extends Error {}

const SECRET_NAME = /_(TOKEN|SECRET|PASSWORD)$/;

/**
 * `NAME_FILE=/path` stands for `NAME=<the file's content>` when NAME is not set: in compose the
 * secrets generated at install live in files on a volume, never in the environment of `docker inspect`.
 */
export function withFileValues(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...source };
  for (const [key, file] of Object.entries(source)) {
    const name = key.endsWith('_FILE') ? key.slice(0, -'_FILE'.length) : '';
    // Only secrets come as files: other *_FILE variables (FAULTS_FILE, a tool's own) are left alone.
    if (!SECRET_NAME.test(name) || !file || out[name] !== undefined) continue;
    try {
      out[name] = readFileSync(file, 'utf8').trim();
    } catch (err) {
      throw new ConfigError(`invalid configuration:\n  ${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  return out;
}

/** Reads a typed config from the environment; a bad or missing value names the variable. */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(withFileValues(env));
  if (result.success) return result.data;
  const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/** Zod building blocks shared by every service's config schema. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  url: () => z.url(),
  /**
   * A secret generated per install (npm start writes .env.local; compose's init container a volume):
   * long, and never one of the well-known values a copy of this repository would share.
   */
  secret: () =>
    z
      .string({ error: 'is not set: it is generated on the first npm start (.env.local) or docker compose up' })
      .min(SECRET_MIN_LENGTH, `must be at least ${SECRET_MIN_LENGTH} characters (the generated ones are 43)`)
      .refine((v) => !KNOWN_SECRETS.some((known) => v.toLowerCase().includes(known)), 'is a well-known default: use the generated one'),
  int: (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max).default(fallback),
  bool: (fallback: boolean) =>
    z
      .enum(['true', 'false'])
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true'),
};

const SECRET_MIN_LENGTH = 32;
/** Values that were once committed or are guessed first; a secret containing one is refused. */
const KNOWN_SECRETS = ['tracequest-admin', 'changeme', 'change-me', 'password', 'secret-secret'];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** What every service reads: its log level and its faults (the flags file, and FAULTS at start-up). */
export const serviceConfig = {
  /** The address to listen on: loopback unless told (compose sets 0.0.0.0 on its private network). */
  HOST: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')]).default('127.0.0.1'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** The flagd-format flags file the gateway's admin API writes and every service watches. */
  FAULTS_FILE: z.string().min(1).optional(),
  /** Faults on from the start: `latency:service=inventory,ms=300;error:service=payment,rate=0.2`. */
  FAULTS: z
    .string()
    .optional()
    .superRefine((text, ctx) => {
      try {
        parseFaultsEnv(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    }),
};

/** What every service with its own schema in Postgres reads. */
export const databaseConfig = {
  DATABASE_URL: env.url(),
  /** Connections in the service's pool; Postgres' max_connections must cover every pool. */
  DB_POOL_MAX: env.int(10, 1, 100),
  /** Longer than any fault's hold or sleep (10 s at most), so quests still see them. */
  DB_STATEMENT_TIMEOUT_MS: env.int(30_000, 1000, 600_000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: env.int(60_000, 1000, 3_600_000),
};

type DatabaseConfig = { [K in keyof typeof databaseConfig]: z.infer<(typeof databaseConfig)[K]> };

/** The pool settings of a service's validated config, for createPool. */
export const poolOptions = (c: DatabaseConfig): PoolOptions => ({
  max: c.DB_POOL_MAX,
  statementTimeoutMs: c.DB_STATEMENT_TIMEOUT_MS,
  idleInTransactionTimeoutMs: c.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
});
