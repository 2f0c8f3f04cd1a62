// The options of npm run bench and npm run chaos: parsed, and the results folder checked, before
// either starts (or its script builds) anything.
import { accessSync, constants, mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** --quick and --results, or the usage (--help: exit 0; a typo or an unwritable folder: exit 2). */
export function runOptions(name: string, usage: string, defaultResults: string): { quick: boolean; results: string } {
  try {
    const { values } = parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        results: { type: 'string', default: defaultResults },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      console.log(usage);
      process.exit(0);
    }
    mkdirSync(values.results, { recursive: true });
    accessSync(values.results, constants.W_OK);
    // The script asks this first, before it starts or builds anything the run needs.
    if (process.env.TRACEQUEST_ARGS_ONLY === '1') process.exit(0);
    return values;
  } catch (err) {
    console.error(`${name}: ${err instanceof Error ? err.message : err}\n\n${usage}`);
    process.exit(2);
  }
}
