import { describeParam, REVEAL } from './params';
import { FAULTS } from './registry';
import { SCENARIOS } from './scenarios';

/** docs/faults.md, generated from the registry (`npm run docs:faults`); a test keeps it current. */
export function renderFaultsDoc(): string {
  const out: string[] = [
    '# Faults and scenarios',
    '',
    '<!-- Generated from packages/faults (npm run docs:faults). Do not edit by hand. -->',
    '',
    'Every fault can be switched at runtime, without restarts, and applies to every running service',
    'as soon as it is set: each service watches the flags file (and reads it again every 0.5 s where the',
    "file system does not report changes). A service's `GET /healthz` says which version of the file it",
    'has loaded (`faults`, a hash of it), so you can see that all six have it. Each fault marks the span it',
    'affects with the attribute `fault.name` and a',
    '`fault.injected` event, so when you find the span you can confirm the cause.',
    '',
    `Every fault also takes \`reveal\` (${describeParam(REVEAL)}): ${REVEAL.description}. The admin API then`,
    'lists the fault as `{"hidden": true}`, without its parameters, `npm run fault -- scenario <name> reveal=false`',
    'prints no target, and the flags file keeps its parameters encoded (base64url: not a secret, only out of sight).',
    'The quests (`npm run quest`) start their incidents this way.',
    '',
    '| Surface | How |',
    '|---|---|',
    '| CLI | `npm run fault -- list [--json]`, `status`, `set <fault> key=value ...`, `clear <fault>` or `clear --all`, `scenario <name> [seed=N] [reveal=false]`, `reset` |',
    "| Admin API (gateway, its own port `ADMIN_PORT`, 127.0.0.1:8079) | `GET /admin/faults`, `PUT /admin/faults/{fault}` (JSON parameters), `DELETE /admin/faults/{fault}`, `DELETE /admin/faults`, `POST /admin/scenarios/{name}`; header `x-admin-token` with the install's generated token (`.env.local`) |",
    '| At start-up | `FAULTS="latency:service=inventory,ms=300;error:service=payment,rate=0.2"` in the environment of the services |',
    '| Flags file | `FAULTS_FILE`, a [flagd](https://flagd.dev) flag definition file: one object flag per fault, variant `on` holding its parameters, read through OpenFeature |',
    '',
    '## Faults',
    '',
  ];
  for (const f of FAULTS) {
    out.push(`### \`${f.name}\`: ${f.title}`, '', f.description, '', `- Services: ${f.services.join(', ')}`, `- Where: ${f.where}`);
    const params = Object.entries(f.params);
    if (params.length) {
      out.push('- Parameters:');
      for (const [k, p] of params) out.push(`  - \`${k}\` (${describeParam(p)}): ${p.description}`);
    } else out.push('- Parameters: none');
    out.push(`- Symptom: ${f.symptom}`);
    if (f.fix)
      out.push(`- Fix: ${f.fix.description}${f.fix.param ? ' Switch: `fix=true`.' : ''}${f.fix.config ? ` In: \`${f.fix.config}\`.` : ''}`);
    out.push('');
  }
  out.push('## Scenarios', '', "`npm run fault -- scenario <name>` clears every fault, then sets the scenario's faults.", '');
  out.push('| Scenario | Story | Faults | Symptom | Fix |', '|---|---|---|---|---|');
  for (const s of SCENARIOS) {
    const faults = Object.keys(s.faults(1))
      .map((n) => `\`${n}\``)
      .join(', ');
    out.push(`| \`${s.name}\` | ${s.story} | ${faults} | ${s.symptom} | ${s.fix} |`);
  }
  return `${out.join('\n')}\n`;
}
