// The compose stack's files as the tests read them: docker-compose.yml (YAML merge keys resolved),
// .env, and the values compose interpolates from it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dotenv, REPO_ROOT, toolsBin } from '@tracequest/stack';
import YAML from 'yaml';

export { REPO_ROOT };
/** .env alone, as compose reads it (not this install's .env.local). */
export const ENV = dotenv(path.join(REPO_ROOT, '.env'));
export const TOOLS_BIN = toolsBin({ ...ENV, ...(process.env as Record<string, string>) });
export const SHOP_SERVICES = ['auth', 'inventory', 'payment', 'order', 'worker', 'gateway'] as const;

export const repoPath = (...parts: string[]) => path.join(REPO_ROOT, ...parts);
export const readRepo = (...parts: string[]) => readFileSync(repoPath(...parts), 'utf8');
export const parseYaml = (text: string) => YAML.parse(text, { merge: true });

export interface Service {
  image?: string;
  build?: { context: string; target?: string; args?: Record<string, string> };
  command?: string | string[];
  entrypoint?: string[];
  environment?: Record<string, string | null>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  mem_limit?: string;
  hostname?: string;
  restart?: string;
  init?: boolean;
  stop_grace_period?: string;
  profiles?: string[];
  logging?: { driver: string; options?: Record<string, string> };
}

export const COMPOSE_TEXT = readRepo('docker-compose.yml');
export const compose = parseYaml(COMPOSE_TEXT) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
export const services = compose.services;

/** Expands ${VAR}, ${VAR:-default} and ${VAR-default} the way compose does with .env. */
export function interpolate(value: string, env: Record<string, string | undefined> = ENV): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_m, name: string, fallback?: string) => {
    const v = env[name];
    return v !== undefined && v !== '' ? v : (fallback ?? '');
  });
}

/** Every ${...} reference in a text, with whether it carries its own default. */
export function variablesIn(text: string): { name: string; hasDefault: boolean }[] {
  return [...text.replace(/\$\$/g, '').matchAll(/\$\{([^}]*)\}/g)].map((m) => {
    const [, name, op] = /^([A-Za-z_][A-Za-z0-9_]*)(:?[-?+])?/.exec(m[1]) ?? [undefined, m[1]];
    return { name: name as string, hasDefault: op === '-' || op === ':-' };
  });
}

/** A service's environment as the container gets it: a bare name takes its .env value if any (null: unset). */
export function environmentOf(name: string): Record<string, string | null> {
  const env = services[name].environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === null ? (ENV[k] ?? null) : interpolate(String(v))]));
}

/** Docker's byte units (b, k, m, g) are powers of 1024. */
export function bytes(size: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmg]?)b?$/i.exec(size.trim());
  if (!m) throw new Error(`not a memory size: ${size}`);
  return Number(m[1]) * 1024 ** 'bkmg'.indexOf((m[2] || 'b').toLowerCase());
}

/** The raw text of one service's block in docker-compose.yml, comments included. */
export function blockOf(name: string): string {
  // A block may start with an anchor the next one merges: "  quest: &lab".
  const start = COMPOSE_TEXT.search(new RegExp(`\\n  ${name}:( &[a-z-]+)?\\n`));
  if (start < 0) throw new Error(`no service block ${name}`);
  const rest = COMPOSE_TEXT.slice(start + 1);
  const end = rest.slice(1).search(/\n {2}(?:# ---|[a-z0-9-]+:( &[a-z-]+)?\n)|\n[a-z]/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}
