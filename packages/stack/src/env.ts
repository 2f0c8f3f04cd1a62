import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** This install's secrets: made on first use, ignored by git, never the same in two clones. */
export const LOCAL_ENV = path.join(REPO_ROOT, '.env.local');
/** The secrets generated per install (compose's `secrets` container makes the same ones). */
export const GENERATED_SECRETS = ['ADMIN_TOKEN', 'ORDER_CLIENT_SECRET', 'WORKER_CLIENT_SECRET'] as const;

const read = (file: string) => (existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {});

/** Writes the secrets .env.local lacks (all of them on the first run), 32 random bytes each. */
export function ensureLocalSecrets(file = LOCAL_ENV): Record<string, string> {
  const have = read(file);
  const missing = GENERATED_SECRETS.filter((k) => !have[k]);
  if (missing.length) {
    const header = existsSync(file) ? '' : '# Generated on first use for this install only; never commit it. Delete it to make new ones.\n';
    const lines = missing.map((k) => `${k}=${randomBytes(32).toString('base64url')}\n`);
    appendFileSync(file, header + lines.join(''), { mode: 0o600 });
  }
  return read(file);
}

/**
 * .env's URLs carry the passwords compose gives Postgres and RabbitMQ; natively, scripts/deps.sh
 * gives them this install's (in .env.local), which go in their place.
 */
const URL_PASSWORDS = [
  ['DATABASE_URL', 'POSTGRES_PASSWORD'],
  ['AMQP_URL', 'RABBITMQ_PASSWORD'],
] as const;

export function withInstallPasswords(committed: Record<string, string>, local: Record<string, string>): Record<string, string> {
  const env = { ...committed, ...local };
  for (const [url, password] of URL_PASSWORDS)
    if (env[url] && committed[password] && local[password]) env[url] = env[url].replace(`:${committed[password]}@`, `:${local[password]}@`);
  return env;
}

/**
 * The repo's .env as a map: the one place ports, addresses and versions are set (empty outside a
 * clone), with this install's secrets from .env.local over it (generated the first time).
 */
export function dotenv(file?: string): Record<string, string> {
  if (file) return read(file);
  const committed = path.join(REPO_ROOT, '.env');
  return existsSync(committed) ? withInstallPasswords(read(committed), ensureLocalSecrets()) : {};
}

/** .env overlaid by the process environment: what every native process is started with. */
export function nativeEnv(): Record<string, string> {
  const env: Record<string, string> = { ...dotenv() };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

/** This user's cache: the built tools, Node, and the services' compiled code. */
export const cacheDir = (env: Record<string, string>) => env.TRACEQUEST_CACHE ?? path.join(env.HOME ?? '/root', '.cache/tracequest');

export const toolsBin = (env: Record<string, string>) => env.TOOLS_BIN ?? path.join(cacheDir(env), 'bin');

/**
 * What drops traces, if anything: a head sampler in the services or the Collector's tail-sampling
 * overlay (quest 11). Left on, either hides traces the later quests look for. Empty: every trace is kept.
 */
export function samplersOn(env: {
  OTEL_TRACES_SAMPLER?: string;
  OTEL_TRACES_SAMPLER_ARG?: string;
  OTELCOL_EXTRA_CONFIG?: string;
}): string[] {
  const sampler = env.OTEL_TRACES_SAMPLER;
  const overlay = env.OTELCOL_EXTRA_CONFIG;
  const arg = env.OTEL_TRACES_SAMPLER_ARG ? ` OTEL_TRACES_SAMPLER_ARG=${env.OTEL_TRACES_SAMPLER_ARG}` : '';
  return [
    ...(sampler && !['parentbased_always_on', 'always_on'].includes(sampler)
      ? [`the services sample (OTEL_TRACES_SAMPLER=${sampler}${arg})`]
      : []),
    ...(overlay && overlay !== 'none.yaml' ? [`the Collector samples (OTELCOL_EXTRA_CONFIG=${overlay})`] : []),
  ];
}

/** npm start's banner line for it. */
export function samplingOf(env: Record<string, string | undefined>): string {
  const on = samplersOn(env);
  if (!on.length) return 'every trace is kept';
  return `NOT every trace is kept: ${on.join(' and ')}; started without ${on.length > 1 ? 'these settings' : 'that setting'}, npm start keeps every trace`;
}

/** npm start's banner line for how the worker's spans join a checkout's trace (quest 9 switches it). */
export function consumeAsOf(env: Record<string, string | undefined>): string {
  return env.TRACE_CONSUME_AS === 'link'
    ? 'each delivery to the worker is a trace of its own, linked to its publish (TRACE_CONSUME_AS=link); started without it, npm start keeps one trace per checkout'
    : "the worker's spans continue the checkout's trace: one trace per checkout";
}
