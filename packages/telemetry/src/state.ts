// Holds the running SDK so that shutdown() can flush it without importing the SDK itself.

/** What shutdown needs of the SDK: flush and stop every provider. */
export interface RunningSdk {
  shutdown(): Promise<void>;
}

const KEY = Symbol.for('tracequest.telemetry.sdk');
type Holder = { [KEY]?: RunningSdk };

export function installSdk(sdk: RunningSdk): void {
  (globalThis as Holder)[KEY] = sdk;
}

/** Flushes and stops telemetry; the last step of every service's ordered shutdown. */
export async function shutdown(): Promise<void> {
  const sdk = (globalThis as Holder)[KEY];
  if (!sdk) return;
  delete (globalThis as Holder)[KEY];
  await sdk.shutdown();
}
