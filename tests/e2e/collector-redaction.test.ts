// The Collector's card-number redaction, checked with the real binary: spans and logs holding a card
// number in every place one can hide are sent over OTLP, and what the Collector passes on (its debug
// exporter, in full detail, into a file) holds none. On its own ports: no stack needed.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT, toolsBin } from '@tracequest/stack';
import { eventually } from '@tracequest/testkit';

const CARD = '4242424242424242';
const MASK = '[card number redacted]';
const COLLECTOR = path.join(REPO_ROOT, 'infra/otel-collector');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const str = (v: string) => ({ stringValue: v });
const kv = (key: string, value: unknown) => ({ key, value });
const nowNs = () => String(BigInt(Date.now()) * 1_000_000n);
// The card in the resource too: a client may describe itself with anything.
const resource = { attributes: [kv('service.name', str('redaction-test')), kv('host.note', str(`card ${CARD}`))] };

/** One span with the card number in an attribute, an event, an exception and its status message. */
function traces(traceId: string) {
  const t = nowNs();
  return {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            scope: { name: 'redaction-test' },
            spans: [
              {
                traceId,
                spanId: randomBytes(8).toString('hex'),
                name: `charge ${CARD}`,
                traceState: `shop=${CARD}`,
                kind: 3,
                startTimeUnixNano: t,
                endTimeUnixNano: t,
                attributes: [kv('shop.payment.card_number', str(CARD)), kv('http.request.body', str(`{"card_number":"${CARD}"}`))],
                events: [
                  { name: 'card.checked', timeUnixNano: t, attributes: [kv('card', str(`number ${CARD} ok`))] },
                  { name: `checked ${CARD}`, timeUnixNano: t, attributes: [] },
                  {
                    name: 'exception',
                    timeUnixNano: t,
                    attributes: [kv('exception.type', str('Error')), kv('exception.message', str(`card ${CARD} was declined`))],
                  },
                ],
                status: { code: 2, message: `charge failed for ${CARD}` },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Log records with the card number in a text body, a structured body and nested attribute maps. */
function logs(traceId: string) {
  const t = nowNs();
  const nested = { kvlistValue: { values: [kv('payment', { kvlistValue: { values: [kv('card_number', str(CARD))] } })] } };
  return {
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            scope: { name: 'redaction-test' },
            logRecords: [
              { timeUnixNano: t, traceId, body: str(`charging card ${CARD}`), attributes: [kv('request', nested)] },
              {
                timeUnixNano: t,
                traceId,
                body: { kvlistValue: { values: [kv('msg', str(`card ${CARD}`)), kv('req', nested)] } },
                attributes: [kv('list', { arrayValue: { values: [str(CARD)] } })],
              },
            ],
          },
        ],
      },
    ],
  };
}

/**
 * Starts the Collector with the given config files and a debug exporter writing what it passes on
 * to a file, in place of the backends: `traceExporters` is the traces pipeline's list (the sampled
 * pipeline of the tail-sampling overlay takes the sink from TRACE_BACKENDS).
 */
async function collector(
  files: string[],
  traceExporters: string[],
): Promise<{ send: (signal: string, body: unknown) => Promise<void>; output: () => string; stop: () => void }> {
  const bin = path.join(toolsBin(process.env as Record<string, string>), 'otelcol');
  assert.ok(existsSync(bin), `${bin} is missing: build it with npm run tools`);
  const dir = mkdtempSync(path.join(tmpdir(), 'tracequest-redaction-'));
  const out = path.join(dir, 'out.txt');
  const overlay = path.join(dir, 'sink.yaml');
  writeFileSync(
    overlay,
    [
      'exporters:',
      '  debug/sink:',
      '    verbosity: detailed',
      '    use_internal_logger: false',
      `    output_paths: [${JSON.stringify(out)}]`,
      'service:',
      '  pipelines:',
      '    traces:',
      `      exporters: [${traceExporters.join(', ')}]`,
      '    logs:',
      '      exporters: [debug/sink]',
    ].join('\n'),
  );
  const [grpc, http, health, prom, metrics] = await Promise.all(Array.from({ length: 5 }, freePort));
  const env = {
    PATH: process.env.PATH ?? '',
    COLLECTOR_LISTEN_HOST: '127.0.0.1',
    OTLP_GRPC_PORT: String(grpc),
    OTLP_HTTP_PORT: String(http),
    COLLECTOR_HEALTH_PORT: String(health),
    COLLECTOR_PROMETHEUS_PORT: String(prom),
    COLLECTOR_METRICS_PORT: String(metrics),
    JAEGER_OTLP_ENDPOINT: '127.0.0.1:9',
    TRACE_BACKENDS: '[debug/sink]',
  };
  const argv = [...files.map((f) => path.join(COLLECTOR, f)), overlay].flatMap((f) => ['--config', f]);
  const child: ChildProcess = spawn(bin, argv, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  await eventually(async () => (await fetch(`http://127.0.0.1:${health}/`)).ok, 15_000, 100).catch((err) => {
    child.kill();
    throw new Error(`the Collector did not start: ${err.message}\n${stderr}`);
  });
  return {
    send: async (signal, body) => {
      const res = await fetch(`http://127.0.0.1:${http}/v1/${signal}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200, await res.text());
    },
    output: () => (existsSync(out) ? readFileSync(out, 'utf8') : ''),
    stop: () => void child.kill('SIGTERM'),
  };
}

describe('card numbers in the Collector', () => {
  const connectors = ['span_metrics', 'service_graph'];
  for (const [what, files, exporters, waitMs] of [
    ['the base config', ['config.yaml'], ['debug/sink', ...connectors], 15_000],
    // The sampler holds a trace for its decision_wait (10 s) before the sampled pipeline sends it.
    ['the tail-sampling overlay', ['config.yaml', 'tail-sampling.yaml'], connectors, 30_000],
  ] as const) {
    it(`when spans and logs carry a card number anywhere, then ${what} passes none of them on`, async () => {
      const c = await collector([...files], [...exporters]);
      try {
        const traceId = randomBytes(16).toString('hex');
        await c.send('traces', traces(traceId));
        await c.send('logs', logs(traceId));
        // Every span and record is out once both the status message and the last log's body are.
        const text = await eventually(
          async () => {
            const t = c.output();
            return t.includes('charge failed for') && t.includes('-> list') && t;
          },
          waitMs,
          250,
        );
        assert.ok(
          !text.includes(CARD),
          `a card number got through:\n${text
            .split('\n')
            .filter((l) => l.includes(CARD))
            .join('\n')}`,
        );
        for (const place of ['charge failed for', 'was declined', 'number', 'charging card', 'card_number']) {
          const line = text.split('\n').find((l) => l.includes(place));
          assert.ok(line?.includes(MASK), `${place}: ${line}`);
        }
      } finally {
        c.stop();
      }
    });
  }
});
