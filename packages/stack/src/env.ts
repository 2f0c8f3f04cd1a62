import { readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../../../..');

/** The repo's .env as a map: the one place ports, addresses and versions are set. */
export function dotenv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(path.join(REPO_ROOT, '.env'), 'utf8').split('\n')) {
    // KEY=value or KEY="a value with spaces", as docker compose and the shell both read it.
    const m = /^([A-Z0-9_]+)=(?:"([^"]*)"|(.*))$/.exec(line.trim());
    if (m) out[m[1]] = m[2] ?? m[3];
  }
  return out;
}

/** .env overlaid by the process environment: what every native process is started with. */
export function nativeEnv(): Record<string, string> {
  const env: Record<string, string> = { ...dotenv() };
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return env;
}

export const toolsBin = (env: Record<string, string>) =>
  env.TOOLS_BIN ?? path.join(env.TRACEQUEST_CACHE ?? path.join(env.HOME ?? '/root', '.cache/tracequest'), 'bin');
