import { links } from '../router';
import { ms } from '../ui';
import { Traceparent } from './hops';
import { type Attr, decodeTraceparent, type SpanNode, type TraceModel, traceparentOf } from './model';

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function Attrs({ list, label }: { list: Attr[]; label: string }) {
  if (list.length === 0) return <p class="muted small">none</p>;
  return (
    <table class="attrs" aria-label={label}>
      <tbody>
        {list.map(([k, v]) => (
          <tr key={k} class={k.startsWith('fault.') ? 'faulty' : k.startsWith('exception.') || k === 'error.type' ? 'bad' : undefined}>
            <th scope="row" class="mono">
              {k}
            </th>
            <td class="mono">{show(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Everything one span says: status, timing, context, attributes, events, links. */
export function SpanDetail({ span: s, trace }: { span: SpanNode; trace: TraceModel }) {
  const offset = (at: number) => ms((at - s.start) / 1000);
  const remote = s.parent && s.parent.service !== s.service;
  return (
    <section id={`detail-${s.id}`} class="detail" aria-label={`${s.service} ${s.name}`}>
      <dl class="facts-grid">
        <dt>Status</dt>
        <dd class={s.error ? 'bad' : undefined}>
          {s.status}
          {s.statusMessage ? `: ${s.statusMessage}` : ''}
        </dd>
        <dt>Kind</dt>
        <dd>{s.kind}</dd>
        <dt>Starts at</dt>
        <dd>+{ms((s.start - trace.start) / 1000)}</dd>
        <dt>Total / self</dt>
        <dd>
          {ms(s.duration / 1000)} / {ms(s.self / 1000)}
        </dd>
        <dt>Critical path</dt>
        <dd>{s.critical ? 'yes: the request waited for this span' : 'no'}</dd>
        <dt>Span id</dt>
        <dd>
          <span class="mono">{s.id}</span> <a href={links.quest(s.traceId, s.id)}>Use in the quest</a>
        </dd>
        <dt>Parent</dt>
        <dd>
          {s.parent ? (
            <>
              {s.parent.service}: {s.parent.name} <span class="mono small">{s.parent.id}</span>
            </>
          ) : s.parentId ? (
            <>
              <span class="mono">{s.parentId}</span> (not in this trace: a caller outside it). The traceparent it received:
              <Traceparent tp={decodeTraceparent(traceparentOf(s.traceId, s.parentId, s.flags))} />
            </>
          ) : (
            'none: this span started the trace'
          )}
        </dd>
        {s.scope && (
          <>
            <dt>Instrumentation</dt>
            <dd class="mono small">{s.scope}</dd>
          </>
        )}
      </dl>
      {s.fault && (
        <p class="callout callout-fault">
          <strong>Fault injected: {s.fault}.</strong> Look at <code>fault.name</code> and the <code>fault.injected</code> event below.
        </p>
      )}
      {remote && s.parent && (
        <div class="received">
          <h3>
            Context received from {s.parent.service} ({s.kind === 'consumer' ? 'in the message headers' : 'in the HTTP request'})
          </h3>
          <p class="mono small">traceparent: {traceparentOf(s.traceId, s.parent.id, s.flags)}</p>
          <Traceparent tp={decodeTraceparent(traceparentOf(s.traceId, s.parent.id, s.flags))} />
        </div>
      )}
      <h3>Attributes</h3>
      <Attrs list={s.attributes} label="Attributes" />
      <h3>Events</h3>
      {s.events.length === 0 && <p class="muted small">none</p>}
      <ul class="events">
        {s.events.map((e, i) => (
          <li key={i} class={e.name === 'fault.injected' ? 'faulty' : e.name === 'exception' ? 'bad' : undefined}>
            <strong>{e.name || '(unnamed)'}</strong> <span class="muted small">at +{offset(e.at)}</span>
            <Attrs list={e.fields} label={`Fields of ${e.name}`} />
          </li>
        ))}
      </ul>
      {s.links.length > 0 && (
        <>
          <h3>Links</h3>
          <ul>
            {s.links.map((l) => (
              <li key={l.spanId}>
                <a href={links.trace(l.traceId, l.spanId)} class="mono">
                  {l.traceId} / {l.spanId}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <details>
        <summary>Resource of {s.service}</summary>
        <Attrs list={s.resource} label="Resource attributes" />
      </details>
    </section>
  );
}
