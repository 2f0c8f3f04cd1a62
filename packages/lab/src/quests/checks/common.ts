import { findScenario, type ParamValues, targets } from '@tracequest/faults';
import type { FlatSpan } from '../../jaeger';
import type { QuestContext } from '../context';

export const SERVICES = ['gateway', 'auth', 'inventory', 'order', 'payment', 'worker'] as const;
const isShop = (s: FlatSpan) => (SERVICES as readonly string[]).includes(s.service);

/**
 * Where the request entered the shop: the trace's root, or, for a checkout made in the console
 * (whose page traces itself), the gateway's span under the browser's. The earliest shop span whose
 * parent is not a shop span.
 */
export function entryOf(spans: FlatSpan[]): FlatSpan | undefined {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const parent = (s: FlatSpan) => (s.parentId ? byId.get(s.parentId) : undefined);
  return spans
    .filter((s) => {
      const p = parent(s);
      return isShop(s) && !(p && isShop(p));
    })
    .sort((a, b) => a.startMs - b.startMs)[0];
}

/**
 * Why a checkout's trace can lack the worker for good: order published its event (the producer
 * span is there) but no consumer span joined. The worker then runs with TRACE_CONSUME_AS=link
 * (quest 9): its work is a trace of its own, only linked to this one.
 */
export function workerLinkedAway(spans: FlatSpan[]): string | undefined {
  if (!spans.some((s) => s.kind === 'producer') || spans.some((s) => s.kind === 'consumer')) return undefined;
  return (
    'the worker is not in this trace although order published the event: the worker runs with TRACE_CONSUME_AS=link ' +
    '(quest 9), so its work is a trace of its own, only linked, and baggage does not follow a link. Run npm start again without it ' +
    '(compose: docker compose up -d worker), then make a new checkout'
  );
}

/** The faults the quest's scenario turned on, recomputed from its seed: the hidden answer. */
export function scenarioFaults(ctx: QuestContext): Record<string, ParamValues> {
  const name = ctx.quest.setup.scenario;
  const s = name ? findScenario(name) : undefined;
  if (!s || ctx.seed === undefined)
    throw new Error(`quest ${ctx.quest.id} was not started with its scenario: ${ctx.settings.questCommand} start ${ctx.quest.id}`);
  return s.faults(ctx.seed);
}

/** The target of a fault a scenario turned on: a service, maybe a route ("POST /reservations"), maybe a delay. */
export interface Target {
  service: string;
  route?: string;
  ms: number;
}

/** The target of one of the scenario's faults. */
export const targetOf = (ctx: QuestContext, fault: string) => scenarioFaults(ctx)[fault] as unknown as Target;

/**
 * Does the fault hit this route ("POST /reservations/:id/commit") of the target's service? Decided
 * as the services decide it: a route is a prefix, so POST /reservations slows its commit too.
 */
export function routeHit(target: Target, route: string): boolean {
  const [method = '', path = ''] = route.trim().split(/\s+/, 2);
  return targets(target as unknown as ParamValues, target.service, method.toUpperCase(), path);
}

/**
 * A server span's route: its name ("POST /charges"), or, when the request never reached a route
 * (an error thrown by a middleware, say), its method and url.path: the span is then named "POST".
 */
const routeOf = (s: FlatSpan) => (s.name.includes(' ') ? s.name : `${s.name} ${s.tags['url.path'] ?? ''}`);

/** A server span that the fault hits: in the target's service, on a route it targets. */
export const isHitBy = (s: FlatSpan, target: Target) => s.service === target.service && s.kind === 'server' && routeHit(target, routeOf(s));

/** Is `span` above `below` in the trace (its parent, its parent's parent...)? */
export function isAncestor(spans: FlatSpan[], span: FlatSpan, below: FlatSpan): boolean {
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  for (let p = below.parentId && byId.get(below.parentId); p; p = p.parentId && byId.get(p.parentId)) if (p === span) return true;
  return false;
}

/** An HTTP client span of `from` calling `path` (the http instrumentation names it after the method only). */
export const isCallTo = (s: FlatSpan, from: string, path: string) =>
  s.service === from && s.kind === 'client' && String(s.tags['url.full'] ?? s.tags['http.url'] ?? '').endsWith(path);

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
