/** A crashed service comes back after 1 s, then 2, 4, ... up to 30 s; a minute up resets the count. */
export const restartDelayMs = (restart: number) => Math.min(1000 * 2 ** (restart - 1), 30_000);
const STABLE_AFTER_MS = 60_000;

/**
 * Like compose's `restart: unless-stopped`: a service that exits after it was ready, without being
 * stopped, is started again after a backoff that grows with each crash in a row.
 */
export class Restarts {
  private readonly byName = new Map<string, { count: number; timer?: NodeJS.Timeout }>();

  constructor(private readonly log: (line: string) => void) {}

  /**
   * `name`, ready since `readyAt`, exited with `code`: `again` starts it after the backoff. When
   * `again` fails, `abandon` stops what it left running and gives its exit code: another crash.
   */
  crashed(name: string, code: number, readyAt: number, again: () => Promise<void>, abandon: () => Promise<number>): void {
    if (Date.now() - readyAt > STABLE_AFTER_MS) this.byName.delete(name);
    this.schedule(name, code, again, abandon);
  }

  /** Stopped on purpose: no restart is pending any more, and the count starts over. */
  cancel(name: string): void {
    clearTimeout(this.byName.get(name)?.timer);
    this.byName.delete(name);
  }

  private schedule(name: string, code: number, again: () => Promise<void>, abandon: () => Promise<number>): void {
    const state = this.byName.get(name) ?? { count: 0 };
    this.byName.set(name, state);
    state.count++;
    const delay = restartDelayMs(state.count);
    this.log(`${name} exited with code ${code}; restarting in ${delay / 1000} s (restart ${state.count})`);
    state.timer = setTimeout(async () => {
      state.timer = undefined;
      try {
        await again();
      } catch (err) {
        if (this.byName.get(name) !== state) return; // stopped meanwhile
        this.log(`${name} did not come back: ${(err as Error).message}`);
        this.schedule(name, await abandon(), again, abandon);
      }
    }, delay);
  }
}
