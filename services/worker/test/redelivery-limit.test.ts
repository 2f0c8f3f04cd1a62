import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { eventually } from '@tracequest/testkit';
import { startConsumer } from '../src/consumer';
import { RedeliveryRepository } from '../src/fulfilment-repository';
import { env, fromDlq, logger, orderPaid, pool, publish, purgeQueues, setUp, tearDown } from './harness';

before(setUp);
after(tearDown);
beforeEach(purgeQueues);

const MAX_ATTEMPTS = 2;

/** A worker that takes a delivery and never settles it, as one that crashes on the message would. */
function crashingWorker(handled: string[]) {
  const redeliveries = new RedeliveryRepository(pool);
  return startConsumer({
    url: env.AMQP_URL!,
    prefetch: 1,
    maxAttempts: MAX_ATTEMPTS,
    retryDelayMs: 0,
    logger,
    name: 'worker-redelivery-test',
    countRedelivery: (id) => redeliveries.count(id),
    handle: (event) => {
      handled.push(event.event_id);
      return new Promise(() => undefined);
    },
  });
}

describe('a message that crashes the worker', () => {
  it('when it is redelivered more than WORKER_MAX_ATTEMPTS times, then it goes to the dead-letter queue unhandled', {
    timeout: 60_000,
  }, async () => {
    const event = orderPaid();
    await publish(event, event.event_id);
    const handled: string[] = [];
    // The first delivery and MAX_ATTEMPTS redeliveries are handled; each time the worker "crashes".
    for (let deliveries = 1; deliveries <= MAX_ATTEMPTS + 1; deliveries++) {
      const { amqp } = crashingWorker(handled);
      await eventually(async () => handled.length === deliveries, 15_000);
      await amqp.close();
    }
    const { amqp, consumer } = crashingWorker(handled);
    try {
      const dead = await fromDlq(event.event_id);
      assert.equal(dead.properties.messageId, event.event_id);
      assert.equal(handled.length, MAX_ATTEMPTS + 1, 'the last redelivery was not handled');
    } finally {
      await consumer.stop();
      await amqp.close();
    }
  });
});
