import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The repo's .env as a map: the one place ports, addresses and versions are set (empty outside a clone). */
export function dotenv(file = path.join(REPO_ROOT, '.env')): Record<string, string> {
  return existsSync(file) ? (parseEnv(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** .env overlaid by the process environment: what every native process is started with. */
export function nativeEnv(): Record<string, string> {
  const env: Record<string, string> = { ...dotenv() };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

export const toolsBin = (env: Record<string, string>) =>
  env.TOOLS_BIN ?? path.join(env.TRACEQUEST_CACHE ?? path.join(env.HOME ?? '/root', '.cache/tracequest'), 'bin');
