#!/usr/bin/env node
// npm run fault -- list [--json] | status | set <fault> k=v ... | clear <fault>|--all | scenario <name> [seed=N] | reset
// Talks to the gateway's admin API, so it works the same against the native run and docker compose.
import { existsSync } from 'node:fs';
import { dotenv, REPO_ROOT } from '@tracequest/stack';
import { coerce, describeParam } from './params';
import { FAULTS, findFault } from './registry';
import { SCENARIOS } from './scenarios';

// .env when run from the repo; outside it (an image), the environment alone.
const env = { ...(existsSync(`${REPO_ROOT}/.env`) ? dotenv() : {}), ...process.env } as Record<string, string>;
const base = env.GATEWAY_URL ?? `http://127.0.0.1:${env.GATEWAY_PORT ?? 8080}`;

async function api(method: string, urlPath: string, body?: unknown): Promise<any> {
  const res = await fetch(`${base}${urlPath}`, {
    method,
    headers: { 'x-admin-token': env.ADMIN_TOKEN ?? '', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => {
    throw new Error(`cannot reach the gateway at ${base} (is the shop running?)`);
  });
  const data: any = res.status === 204 ? undefined : await res.json().catch(() => undefined);
  if (!res.ok) throw new Error(`${res.status} ${data?.error?.code ?? ''}: ${data?.error?.message ?? 'request failed'}`);
  return data;
}

const show = (params: Record<string, unknown>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

async function main(args: string[]): Promise<void> {
  const [cmd, ...rest] = args;
  switch (cmd) {
    case 'list': {
      if (rest.includes('--json'))
        return void console.log(
          JSON.stringify({ faults: FAULTS, scenarios: SCENARIOS.map(({ faults, ...s }) => ({ ...s, faults: faults(1) })) }, null, 2),
        );
      for (const f of FAULTS) {
        console.log(`${f.name.padEnd(20)} ${f.title} [${f.services.join(', ')}]`);
        for (const [k, p] of Object.entries(f.params)) console.log(`${''.padEnd(22)}${k}: ${describeParam(p)}`);
      }
      console.log('\nscenarios:');
      for (const s of SCENARIOS) console.log(`  ${s.name.padEnd(18)} ${s.story}`);
      return;
    }
    case 'status': {
      const { active } = await api('GET', '/admin/faults');
      const names = Object.keys(active);
      if (!names.length) return void console.log('no faults are on');
      for (const n of names) console.log(`${n.padEnd(20)} ${show(active[n])}`);
      return;
    }
    case 'set': {
      const [name, ...pairs] = rest;
      const def = findFault(name ?? '');
      if (!def) throw new Error(`unknown fault "${name ?? ''}"; see: npm run fault -- list`);
      const raw = Object.fromEntries(
        pairs.map((p) => {
          const i = p.indexOf('=');
          if (i < 1) throw new Error(`expected key=value, got "${p}"`);
          return [p.slice(0, i), p.slice(i + 1)];
        }),
      );
      const { params } = await api('PUT', `/admin/faults/${name}`, coerce(def.params, raw));
      return void console.log(`${name} on: ${show(params)}`);
    }
    case 'clear':
      if (rest[0] === '--all') {
        await api('DELETE', '/admin/faults');
        return void console.log('all faults off');
      }
      if (!rest[0]) throw new Error('usage: clear <fault> | clear --all');
      await api('DELETE', `/admin/faults/${rest[0]}`);
      return void console.log(`${rest[0]} off`);
    case 'scenario': {
      const seedArg = rest.find((a) => a.startsWith('seed='));
      const { faults } = await api('POST', `/admin/scenarios/${rest[0] ?? ''}`, seedArg ? { seed: Number(seedArg.slice(5)) } : {});
      console.log(`scenario ${rest[0]} on:`);
      for (const [n, p] of Object.entries(faults as Record<string, Record<string, unknown>>)) console.log(`  ${n.padEnd(20)} ${show(p)}`);
      return;
    }
    case 'reset':
      await api('DELETE', '/admin/faults');
      return void console.log('all faults off');
    default:
      console.log(
        'usage: npm run fault -- list [--json] | status | set <fault> key=value ... | clear <fault>|--all | scenario <name> [seed=N] | reset',
      );
      if (cmd && cmd !== 'help' && cmd !== '--help') process.exitCode = 2;
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(`fault: ${err.message}`);
  process.exit(1);
});
