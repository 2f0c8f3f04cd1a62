import { requestLog } from '../http';
import { useStore } from '../store';
import { clock, ms, TraceLink } from '../ui';

/** Every shop request this page made, newest first, each one click from its trace. */
export function Requests() {
  const list = useStore(requestLog);
  return (
    <section class="panel" aria-labelledby="requests-h">
      <h2 id="requests-h">Requests from this page</h2>
      {list.length === 0 && <p class="muted">None yet.</p>}
      {list.length > 0 && (
        <table class="requests">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Took</th>
              <th scope="col">Trace</th>
            </tr>
          </thead>
          <tbody>
            {list.map((r) => (
              <tr key={r.seq} data-request={`${r.method} ${r.path}`} data-status={r.status ?? ''}>
                <td>{clock(r.at)}</td>
                <td class="mono">
                  {r.method} {r.path}
                </td>
                <td class={r.status && r.status >= 400 ? 'bad' : undefined}>{r.status ?? 'network error'}</td>
                <td>{ms(r.ms)}</td>
                <td>
                  <TraceLink traceId={r.traceId} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
