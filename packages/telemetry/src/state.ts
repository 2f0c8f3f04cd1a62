// Holds the running SDK so that shutdown() can flush it without importing the SDK itself.
import type { NodeSDK } from '@opentelemetry/sdk-node';

const KEY = Symbol.for('tracequest.telemetry.sdk');
type Holder = { [KEY]?: NodeSDK };

export function installSdk(sdk: NodeSDK): void {
  (globalThis as Holder)[KEY] = sdk;
}

/** Flushes and stops telemetry; the last step of every service's ordered shutdown. */
export async function shutdown(): Promise<void> {
  const sdk = (globalThis as Holder)[KEY];
  if (!sdk) return;
  delete (globalThis as Holder)[KEY];
  await sdk.shutdown();
}
