import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ORDER_PAID } from '@tracequest/contracts';
import { createLogger } from '@tracequest/telemetry';
import { type Channel, type ChannelModel, connect } from 'amqplib';
import { AmqpConnection, assertTopology, DLQ, DLX, EXCHANGE, QUEUE_ORDER_PAID } from '../src';

const url = process.env.AMQP_URL;
const logger = createLogger('messaging-test', 'silent');
let model: ChannelModel;
let ch: Channel;

async function until(fn: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Closes one named connection from the broker side, as a broker restart or a network cut would. */
function killConnection(name: string): void {
  const lines = execFileSync('rabbitmqctl', ['-q', 'list_connections', 'pid', 'client_properties'], { encoding: 'utf8' });
  const line = lines.split('\n').find((l) => l.includes(`"${name}"`));
  assert.ok(line, `connection ${name} not found`);
  execFileSync('rabbitmqctl', ['-q', 'close_connection', line.split('\t')[0], 'test'], { stdio: 'ignore' });
}

before(async () => {
  assert.ok(url, 'AMQP_URL must be set (source .env)');
  model = await connect(url);
  ch = await model.createChannel();
});
after(async () => {
  await model.close();
});

describe('assertTopology', () => {
  it('when called twice, then the exchanges and queues exist and nothing fails', async () => {
    await assertTopology(ch);
    await assertTopology(ch);
    await ch.checkExchange(EXCHANGE);
    await ch.checkExchange(DLX);
    assert.equal((await ch.checkQueue(QUEUE_ORDER_PAID)).queue, QUEUE_ORDER_PAID);
    assert.equal((await ch.checkQueue(DLQ)).queue, DLQ);
  });

  it('when an order.paid message is rejected without requeue, then it moves to the dead-letter queue', async () => {
    await assertTopology(ch);
    await ch.purgeQueue(QUEUE_ORDER_PAID);
    const messageId = randomUUID();
    ch.publish(EXCHANGE, ORDER_PAID, Buffer.from('{}'), { messageId, persistent: true });
    await until(async () => {
      const msg = await ch.get(QUEUE_ORDER_PAID);
      if (msg) ch.nack(msg, false, false);
      return msg !== false && msg.properties.messageId === messageId;
    });
    const seen: string[] = [];
    await until(async () => {
      const dead = await ch.get(DLQ, { noAck: true });
      if (dead) seen.push(dead.properties.messageId);
      return seen.includes(messageId);
    });
  });
});

describe('AmqpConnection', () => {
  it('when the broker closes its connection, then it reconnects and calls onReady again', async () => {
    const name = `messaging-test-${randomUUID()}`;
    let readyCount = 0;
    const conn = new AmqpConnection({ url: url!, logger, name, minDelayMs: 50, onReady: () => void readyCount++ }).start();
    try {
      await until(() => conn.isReady());
      assert.equal(readyCount, 1);
      killConnection(name);
      await until(() => readyCount === 2 && conn.isReady());
      assert.ok(conn.channel());
    } finally {
      await conn.close();
    }
    assert.equal(conn.isReady(), false);
  });

  it('when the broker cannot be reached, then it keeps retrying and close() stops it', async () => {
    let readyCount = 0;
    const conn = new AmqpConnection({
      url: 'amqp://tracequest:tracequest@127.0.0.1:1',
      logger,
      minDelayMs: 20,
      maxDelayMs: 40,
      onReady: () => void readyCount++,
    }).start();
    await sleep(200);
    assert.equal(conn.isReady(), false);
    await conn.close();
    assert.equal(readyCount, 0);
  });
});
