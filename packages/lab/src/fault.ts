#!/usr/bin/env node
// npm run fault -- list [--json] | status | set <fault> k=v ... | clear <fault>|--all | scenario <name> [seed=N] [reveal=false] | reset
// Talks to the gateway's admin API, so it works the same against the native run and docker compose.
import { parseArgs } from 'node:util';
import { coerce, describeParam, FAULTS, findFault, SCENARIOS } from '@tracequest/faults';
import { AdminClient } from './admin-client';
import { labSettings } from './settings';

const usage = (cmd: string) =>
  `usage: ${cmd} list [--json] | status | set <fault> key=value ... | clear <fault> | clear --all | scenario <name> [seed=N] [reveal=false] | reset`;

const show = (params: Record<string, unknown>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');

/** `key=value` arguments as a map; anything else is a usage error. */
function pairs(args: string[]): Record<string, string> {
  return Object.fromEntries(
    args.map((p) => {
      const i = p.indexOf('=');
      if (i < 1) throw new Error(`expected key=value, got "${p}"`);
      return [p.slice(0, i), p.slice(i + 1)];
    }),
  );
}

export async function runFaultCli(argv: string[], out: (line: string) => void = console.log): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean', default: false }, all: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } },
  });
  const [cmd, ...rest] = positionals;
  // A word a command takes no use for is refused, not dropped (`reset payment` resets every fault).
  const takes = ({ list: 0, status: 0, reset: 0, clear: 1 } as Record<string, number>)[cmd];
  if (takes !== undefined && rest.length > takes)
    throw new Error(`${cmd} takes ${takes ? 'one fault' : 'no argument'}; what is "${rest[takes]}"?`);
  const { adminUrl, adminToken, faultCommand } = labSettings();
  const admin = new AdminClient(adminUrl, adminToken, 'npm run fault');
  switch (cmd) {
    case 'list': {
      if (values.json) {
        const scenarios = SCENARIOS.map(({ faults, ...s }) => ({ ...s, faults: Object.keys(faults(1)) }));
        return out(JSON.stringify({ faults: FAULTS, scenarios }, null, 2));
      }
      for (const f of FAULTS) {
        out(`${f.name.padEnd(20)} ${f.title} [${f.services.join(', ')}]`);
        for (const [k, p] of Object.entries(f.params)) out(`${''.padEnd(22)}${k}: ${describeParam(p)}`);
      }
      out('\nscenarios:');
      for (const s of SCENARIOS) out(`  ${s.name.padEnd(18)} ${s.story}`);
      return;
    }
    case 'status': {
      const { active } = await admin.active();
      const names = Object.keys(active);
      if (!names.length) return out('no faults are on');
      for (const n of names) out(`${n.padEnd(20)} ${show(active[n])}`);
      return;
    }
    case 'set': {
      const [name, ...args] = rest;
      const def = findFault(name ?? '');
      if (!def) throw new Error(`unknown fault "${name ?? ''}"; see: ${faultCommand} list`);
      const { params } = await admin.set(def.name, coerce(def.params, pairs(args)) as Record<string, string | number | boolean>);
      return out(`${def.name} on: ${show(params)}`);
    }
    case 'clear':
      if (values.all) {
        await admin.reset();
        return out('all faults off');
      }
      if (!rest[0]) throw new Error('usage: clear <fault> | clear --all');
      await admin.clear(rest[0]);
      return out(`${rest[0]} off`);
    case 'scenario': {
      const [name, ...args] = rest;
      const { seed, reveal, ...unknown } = pairs(args);
      if (Object.keys(unknown).length)
        throw new Error(`a scenario takes seed=N and reveal=false only, not ${Object.keys(unknown).join(', ')}`);
      if (reveal !== undefined && reveal !== 'true' && reveal !== 'false') throw new Error('reveal is true or false');
      const { faults } = await admin.scenario(name ?? '', {
        ...(seed === undefined ? {} : { seed: Number(seed) }),
        ...(reveal === undefined ? {} : { reveal: reveal === 'true' }),
      });
      out(`scenario ${name} on:`);
      for (const [n, p] of Object.entries(faults)) out(`  ${n.padEnd(20)} ${show(p)}`);
      return;
    }
    case 'reset':
      await admin.reset();
      return out('all faults off');
    default:
      out(usage(faultCommand));
      if (cmd && cmd !== 'help' && !values.help) throw new Error(`unknown command "${cmd}"`);
  }
}

if (require.main === module)
  runFaultCli(process.argv.slice(2)).catch((err) => {
    console.error(`fault: ${err.message}`);
    process.exit(1);
  });
