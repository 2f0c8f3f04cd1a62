#!/usr/bin/env node
// npm run load -- <scenario> [-e NAME=value ...] [--summary-export FILE]: a scenario of
// loadtest/scenarios.json, natively (vegeta). Knobs come from -e or the environment, as with k6.
// Exits 0 when every threshold held, 99 when one was crossed (as k6 does), 1 when it could not run,
// 128 + the signal's number when Ctrl-C (or a SIGTERM) stopped it, after the summary of the part that
// ran; a second Ctrl-C quits at once.
import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { parseArgs } from 'node:util';
import { loadDefinition } from './definition';
import { urlKnob } from './plan';
import { planOf, runLoad } from './run';
import { formatSummary } from './summary';

/** Settings -e may carry besides the scenario's knobs. */
const OTHER_SETTINGS = ['CONSOLE_URL'];

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      env: { type: 'string', short: 'e', multiple: true, default: [] },
      'summary-export': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const def = loadDefinition();
  const [scenario, ...extra] = positionals;
  if (values.help || !scenario || !def.scenarios[scenario] || extra.length > 0) {
    const list = Object.entries(def.scenarios).map(([n, s]) => `  ${n.padEnd(14)} ${s.native ? `(${s.native})` : s.about}`);
    const usage = `usage: npm run load -- <scenario> [-e NAME=value ...] [--summary-export FILE]\n\n${list.join('\n')}`;
    if (values.help) {
      console.log(usage);
      return 0;
    }
    const why = !scenario ? '' : !def.scenarios[scenario] ? `no scenario "${scenario}"` : `one scenario a run; what is "${extra[0]}"?`;
    console.error(why ? `load: ${why}\n\n${usage}` : usage);
    return 2;
  }
  const env: Record<string, string | undefined> = { ...process.env };
  // A misspelt knob would run with the default (RAT=5 at 25/s): a -e the scenario has no use for is refused.
  const known = new Set([...Object.keys({ ...def.knobs, ...def.scenarios[scenario].knobs }), ...OTHER_SETTINGS]);
  for (const pair of values.env) {
    const eq = pair.indexOf('=');
    if (eq < 1) throw new Error(`-e ${pair}: expected NAME=value`);
    const name = pair.slice(0, eq);
    if (!known.has(name)) throw new Error(`-e ${pair}: ${scenario} has no knob ${name} (its knobs: ${[...known].join(', ')})`);
    env[name] = pair.slice(eq + 1);
  }
  // Every knob's value, and the rates they make, are checked before vegeta is built
  // (scripts/load.sh) or anything is sent.
  planOf(def, scenario, env);
  const consoleUrl = env.CONSOLE_URL ? urlKnob('CONSOLE_URL', env.CONSOLE_URL) : undefined;
  // Where the summary goes is checked before the run, not after it.
  if (values['summary-export']) writeFileSync(values['summary-export'], '');
  // scripts/load.sh asks this first, before it builds vegeta.
  if (process.env.TRACEQUEST_ARGS_ONLY === '1') return 0;
  const stop = new AbortController();
  const exitCode = (signal: NodeJS.Signals) => 128 + constants.signals[signal];
  const interrupt = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(exitCode(signal));
    console.error(`\nload: ${signal}: stopping after the requests in flight (again to quit at once)`);
    stop.abort(signal);
  };
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  const { summary } = await runLoad({ scenario, env, definition: def, consoleUrl, signal: stop.signal, progressEveryMs: 10_000 });
  console.log(formatSummary(summary));
  if (values['summary-export']) writeFileSync(values['summary-export'], `${JSON.stringify(summary, null, 2)}\n`);
  if (stop.signal.aborted) return exitCode(stop.signal.reason);
  return summary.passed ? 0 : 99;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`load: ${err instanceof Error ? err.message : err}`);
    process.exit(1);
  },
);
