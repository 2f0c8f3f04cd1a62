import { createHash } from 'node:crypto';
import { type Faults, isHidden, markFault, sleep } from '@tracequest/faults';
import { applyGenericFaults } from '@tracequest/service-kit';

/**
 * A message that can never be processed: with the fix on, the consumer dead-letters it at once.
 * Hidden (a quest's), its message does not say it was injected.
 */
export class PoisonMessageError extends Error {
  constructor(readonly recognised: boolean) {
    const hidden = isHidden('poison_message');
    super(hidden ? 'the message cannot be processed' : 'the message cannot be processed (poison_message fault)');
    this.name = 'PoisonMessageError';
    // Its stack would name this file in the exception event.
    if (hidden) this.stack = `${this.name}: ${this.message}`;
  }
}

/** The generic faults, with the queue step "order.paid" as the worker's route. */
export async function genericFaults(faults: Faults | undefined): Promise<void> {
  if (!faults) return;
  const [hang, latency, error] = await Promise.all([faults.get('dependency_timeout'), faults.get('latency'), faults.get('error')]);
  await applyGenericFaults('worker', 'CONSUME', 'order.paid', { hang, latency, error });
}

// The same message is poison on every delivery, so its retries fail too: a share by event id.
const share = (eventId: string) => createHash('sha256').update(eventId).digest().readUInt32BE(0) / 2 ** 32;

/** slow_worker and poison_message, inside the worker.fulfil_order span. */
export async function fulfilmentFaults(faults: Faults | undefined, eventId: string): Promise<void> {
  const slow = await faults?.get('slow_worker');
  if (slow) {
    markFault('slow_worker', { 'fault.latency_ms': Number(slow.ms) });
    await sleep(Number(slow.ms));
  }
  const poison = await faults?.get('poison_message');
  if (poison && share(eventId) < Number(poison.rate)) {
    markFault('poison_message', { 'fault.fixed': Boolean(poison.fix) });
    throw new PoisonMessageError(Boolean(poison.fix));
  }
}
