import type { ConsolePageConfig } from '@tracequest/contracts';
import type { Route } from '../router';
import { TraceSearch } from './search';
import { TraceView } from './trace-view';

export function TracesPage({ route, config }: { route: Route; config: ConsolePageConfig }) {
  return route.traceId ? (
    <TraceView traceId={route.traceId} spanId={route.query.get('span')} config={config} />
  ) : (
    <TraceSearch query={route.query} sampling={config.sampling} />
  );
}
