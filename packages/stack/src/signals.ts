import { constants } from 'node:os';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * For a run that owns a stack (the bench, the chaos run): a kill of the run alone, Ctrl-C or the
 * terminal closing runs `cleanUp` (stop the stack, remove what the run made), then exits with 128 +
 * the signal's number. Without it a `kill <pid>` of the run left six services, the Collector and
 * Jaeger on their ports until the next start.
 *
 * Returns `cleanUp` made to run once: the run calls it at its end too, and a signal during that
 * end waits for the same cleaning instead of starting another.
 */
export function cleanUpOnSignals(
  name: string,
  cleanUp: () => Promise<void>,
  log: (line: string) => void = (l) => console.error(l),
): () => Promise<void> {
  let cleaning: Promise<void> | undefined;
  const once = () => {
    cleaning ??= cleanUp();
    return cleaning;
  };
  for (const signal of SIGNALS)
    process.once(signal, () => {
      log(`${name}: ${signal}, stopping the stack`);
      once()
        .catch((err) => log(`${name}: could not clean up: ${err instanceof Error ? err.message : err}`))
        .finally(() => process.exit(128 + constants.signals[signal]));
    });
  return once;
}
