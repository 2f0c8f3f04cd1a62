import { ServiceChip } from './chips';
import { decodeTraceparent, type TraceModel } from './model';

const via = (kind: string) => (kind === 'consumer' ? 'message header' : 'HTTP header');

/** Every step from one process to the next, and the traceparent header that carried the context. */
export function Hops({ trace }: { trace: TraceModel }) {
  if (trace.hops.length === 0) return null;
  return (
    <section class="panel" aria-labelledby="hops-h">
      <h2 id="hops-h">How the context travelled</h2>
      <p class="muted">
        At each hop the caller sends <code>traceparent: version-traceid-parentid-flags</code>; the callee's span takes the caller's span as
        its parent.
      </p>
      <table class="hops">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">traceparent (decoded)</th>
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
