import { findScenario, type ParamValues } from '@tracequest/faults';
import type { FlatSpan } from '../../jaeger';
import type { QuestContext } from '../context';

export const SERVICES = ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker'] as const;

/** The faults the quest's scenario turned on, recomputed from its seed: the hidden answer. */
export function scenarioFaults(ctx: QuestContext): Record<string, ParamValues> {
  const name = ctx.quest.setup.scenario;
  const s = name ? findScenario(name) : undefined;
  if (!s || ctx.seed === undefined)
    throw new Error(`quest ${ctx.quest.id} was not started with its scenario: npm run quest -- start ${ctx.quest.id}`);
  return s.faults(ctx.seed);
}

/** "POST /reservations" -> its method and path. */
export const splitRoute = (route: string) => {
  const [method, path] = route.split(/\s+/, 2);
  return { method, path };
};

/** The server span of a service for a route ("POST /charges"), as the http instrumentation names it. */
export const isServerSpanOf = (s: FlatSpan, service: string, route?: string) =>
  s.service === service && s.kind === 'server' && (!route || s.name === route);

/** An HTTP client span of `from` calling `path` (the fetch instrumentation names it after the method only). */
export const isCallTo = (s: FlatSpan, from: string, path: string) =>
  s.service === from && s.kind === 'client' && String(s.tags['url.full'] ?? s.tags['http.url'] ?? '').endsWith(path);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
