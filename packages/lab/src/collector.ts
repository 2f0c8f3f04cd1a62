import { randomBytes } from 'node:crypto';

/** One span as a check sends it: its own trace, one event. */
export interface ProbeSpan {
  service: string;
  name: string;
  attributes: Record<string, string>;
  event: { name: string; attributes: Record<string, string> };
}

const kv = (attrs: Record<string, string>) => Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } }));

/** The Collector's OTLP/HTTP receiver, as a service's exporter reaches it (OTLP/JSON). */
export class Collector {
  constructor(readonly url: string) {}

  /** Sends the span through the Collector's traces pipeline, as a service would; returns its trace id. */
  async send(span: ProbeSpan): Promise<string> {
    const traceId = randomBytes(16).toString('hex');
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = {
      resourceSpans: [
        {
          resource: { attributes: kv({ 'service.name': span.service }) },
          scopeSpans: [
            {
              scope: { name: 'tracequest-quest-check' },
              spans: [
                {
                  traceId,
                  spanId: randomBytes(8).toString('hex'),
                  name: span.name,
                  kind: 1,
                  startTimeUnixNano: String(now),
                  endTimeUnixNano: String(now + 1_000_000n),
                  attributes: kv(span.attributes),
                  events: [{ name: span.event.name, timeUnixNano: String(now + 500_000n), attributes: kv(span.event.attributes) }],
                },
              ],
            },
          ],
        },
      ],
    };
    const res = await fetch(`${this.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    if (!res.ok) throw new Error(`the Collector at ${this.url} refused a span (${res.status}): ${(await res.text()).slice(0, 200)}`);
    return traceId;
  }
}
