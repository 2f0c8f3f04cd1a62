import type { Logger } from '@tracequest/telemetry';

/**
 * Runs a background task every intervalMs, never two runs at once. A failed run is logged and the
 * next one tries again. stop() (for the ordered shutdown) waits for a run in progress.
 */
export function runEvery(name: string, intervalMs: number, logger: Logger, task: () => Promise<void>) {
  let running: Promise<void> | undefined;
  const run = async () => {
    try {
      await task();
    } catch (err) {
      logger.error({ err, task: name }, `${name} failed`);
    }
  };
  const timer = setInterval(() => {
    running ??= run().finally(() => (running = undefined));
  }, intervalMs);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
