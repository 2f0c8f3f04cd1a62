import { ServiceChip } from './chips';
import { decodeTraceparent, type SpanNode, type TraceModel } from './model';

const via = (kind: string) => (kind === 'consumer' ? 'message header' : 'HTTP header');

/** Every step from one process to the next, and the traceparent header that carried the context. */
export function Hops({ trace, baggageKeys }: { trace: TraceModel; baggageKeys: string[] }) {
  if (trace.hops.length === 0) return null;
  // The baggage a hop carried, as the callee's span shows it: the services copy these keys onto every span they start.
  const carried = (s: SpanNode) => s.attributes.filter(([k]) => baggageKeys.includes(k));
  const anyBaggage = trace.hops.some((h) => carried(h.to).length > 0);
  return (
    <section class="panel" aria-labelledby="hops-h">
      <h2 id="hops-h">How the context travelled</h2>
      <p class="muted">
        At each hop the caller sends <code>traceparent: version-traceid-parentid-flags</code>; the callee's span takes the caller's span as
        its parent.
        {anyBaggage && (
          <>
            {' '}
            Baggage (<code>baggage: key=value,...</code>) travels beside it in the same headers, across RabbitMQ too: the outbox row keeps
            both for the relay to publish. The services copy only the keys{' '}
            {baggageKeys.map((k, i) => (
              <span key={k}>
                {i > 0 && ', '}
                <code>{k}</code>
              </span>
            ))}{' '}
            onto their spans.
          </>
        )}
      </p>
      <table class="hops">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">traceparent (decoded){anyBaggage && ', and the baggage the callee kept'}</th>
          </tr>
        </thead>
        <tbody>
          {trace.hops.map((h) => {
            const tp = decodeTraceparent(h.traceparent);
            return (
              <tr key={h.to.id} data-hop={`${h.from?.service ?? 'outside'}->${h.to.service}`}>
                <td>
                  {h.from ? (
                    <>
                      <ServiceChip service={h.from.service} /> {h.from.name}
                    </>
                  ) : (
                    <span class="muted">a caller outside this trace (its span was never exported: curl, say)</span>
                  )}
                </td>
                <td>
                  <ServiceChip service={h.to.service} /> {h.to.name} <span class="muted small">({via(h.to.kind)})</span>
                </td>
                <td>
                  <Traceparent tp={tp} />
                  {anyBaggage && (
                    <p class="hop-baggage mono" data-testid="hop-baggage">
                      baggage:{' '}
                      {carried(h.to).length === 0 ? (
                        <span class="muted">none</span>
                      ) : (
                        carried(h.to)
                          .map(([k, v]) => `${k}=${String(v)}`)
                          .join(',')
                      )}
                    </p>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

export function Traceparent({ tp }: { tp: ReturnType<typeof decodeTraceparent> }) {
  return (
    <dl class="traceparent mono">
      <div>
        <dt>version</dt>
        <dd>{tp.version}</dd>
      </div>
      <div>
        <dt>trace id</dt>
        <dd>{tp.traceId}</dd>
      </div>
      <div>
        <dt>parent span id</dt>
        <dd>{tp.parentId}</dd>
      </div>
      <div>
        <dt>flags</dt>
        <dd>
          {tp.flags} ({tp.sampled ? 'sampled' : 'not sampled'})
        </dd>
      </div>
    </dl>
  );
}
