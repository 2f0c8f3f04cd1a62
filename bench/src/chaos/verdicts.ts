// What a chaos run found, from the clients' answers and the databases' facts: one row per fault and
// the invariants that must hold. Pure functions, so a test can feed them numbers and read verdicts.

/** One checkout as its client saw it. status: the HTTP status, 0 no answer (cut or timed out), -1 never sent. */
export interface Answer {
  sentAt: number;
  ms: number;
  status: number;
  orderId?: string;
  code?: string;
  user?: number;
  /** Further attempts with the same Idempotency-Key before this final answer. */
  retries?: number;
}

/** A fault's window: injected at startedAt, undone at faultEndedAt, then a settle period until endedAt. */
export interface Phase {
  fault: string;
  startedAt: number;
  faultEndedAt: number;
  endedAt: number;
  note?: string;
  /** Stock of the run's products when the phase ended. */
  stock?: Stock[];
}

export interface OrderFacts {
  id: string;
  createdAt: number;
  status: string;
  shipments: number;
  notifications: number;
  processed: number;
  /** Charges left `succeeded` (not refunded). */
  keptCharges: number;
  /** The order's status as GET /api/orders/{id} tells its owner (checked for orders answered 201). */
  apiStatus?: string;
}

/** An outbox row and where its message ended. */
export interface EventFacts {
  id: string;
  orderId: string;
  published: boolean;
  consumed: boolean;
  deadLettered: boolean;
  parked: boolean;
}

export interface Stock {
  sku: string;
  initial: number;
  available: number;
  sold: number;
  held: number;
  /** Units of this product in orders that are paid or fulfilled. */
  ordered: number;
}

export interface Facts {
  orders: OrderFacts[];
  events: EventFacts[];
  stock: Stock[];
  /** Messages still in the worker's queue. */
  queued: number;
}

export interface Row {
  fault: string;
  requests: number;
  /** Checkouts whose client saw no answer or a failure at first and tried again (same key). */
  retried: number;
  errors: number;
  lost: number;
  duplicated: number;
  oversold: number;
  stuck: number;
  /** Succeeded charges, not refunded, of checkouts not answered 201. */
  kept: number;
  /** ms from the fault's end until checkouts succeed again; null if they did not within the phase. */
  recoverMs: number | null;
}

export interface Verdict {
  invariant: string;
  ok: boolean;
  detail: string;
  /** A finding is reported but does not fail the run: a known trade-off, not one of the invariants. */
  finding?: boolean;
}

/** Consecutive good answers that count as "checkouts succeed again". */
export const STREAK = 5;

/** 201 is a sale, 409 out_of_stock an honest answer on a product sold out; anything else is an error. */
export const isError = (a: Answer) => a.status !== 201 && !(a.status === 409 && a.code === 'out_of_stock');

/** When the client had its answer: a checkout cut by a fault belongs to that fault, whenever it was sent. */
export const answeredAt = (a: Answer) => a.sentAt + a.ms;

/** Index of the phase a moment falls in (the last phase runs on until the end). */
export function phaseAt(t: number, phases: Phase[]): number {
  let i = 0;
  while (i + 1 < phases.length && t >= phases[i + 1].startedAt) i++;
  return i;
}

/**
 * From the fault's end to the sending of the first of STREAK good answers in a row (among those
 * answered after the fault ended): 0 when checkouts never stopped succeeding.
 */
export function recoveryMs(answers: Answer[], faultEndedAt: number): number | null {
  const after = answers.filter((a) => a.status !== -1 && answeredAt(a) >= faultEndedAt).sort((a, b) => a.sentAt - b.sentAt);
  for (let i = 0; i + STREAK <= after.length; i++) {
    if (after.slice(i, i + STREAK).some(isError)) continue;
    return Math.max(0, Math.round(after[i].sentAt - faultEndedAt));
  }
  return null;
}

const oversold = (stock: Stock[] = []) => stock.filter((s) => s.available < 0 || s.sold + s.held > s.initial).length;
const drifted = (stock: Stock[] = []) => stock.filter((s) => s.initial !== s.available + s.sold + s.held);

interface OrderOutcome {
  lost: boolean;
  duplicated: boolean;
  stuck: boolean;
  kept: boolean;
}

/** Fulfilled, with one shipment, and its owner reads it back as fulfilled. */
const fulfilledOnce = (o: OrderFacts | undefined) =>
  o !== undefined && o.status === 'fulfilled' && o.shipments === 1 && (o.apiStatus === undefined || o.apiStatus === 'fulfilled');

function outcome(o: OrderFacts, answered201: boolean): OrderOutcome {
  return {
    lost: answered201 && !fulfilledOnce(o) && o.shipments <= 1,
    duplicated: o.shipments > 1 || o.notifications > 1 || o.processed > 1 || o.keptCharges > 1,
    stuck: o.status === 'pending' || (!answered201 && o.status === 'paid'),
    kept: !answered201 && o.keptCharges > 0,
  };
}

/** Messages neither consumed, parked, dead-lettered nor still waiting in the outbox. */
const lostEvent = (e: EventFacts) => e.published && !e.consumed && !e.deadLettered && !e.parked;
const waitingEvent = (e: EventFacts) => !e.published && !e.parked;

export function rows(answers: Answer[], phases: Phase[], facts: Facts): Row[] {
  const paid = new Set(answers.filter((a) => a.status === 201 && a.orderId).map((a) => a.orderId!));
  const known = new Set(facts.orders.map((o) => o.id));
  const out = phases.map((p) => ({
    fault: p.fault,
    requests: 0,
    retried: 0,
    errors: 0,
    lost: 0,
    duplicated: 0,
    oversold: oversold(p.stock),
    stuck: 0,
    kept: 0,
    recoverMs: recoveryMs(
      answers.filter((a) => answeredAt(a) >= p.startedAt && answeredAt(a) < p.endedAt),
      p.faultEndedAt,
    ),
  }));
  for (const a of answers) {
    const r = out[phaseAt(answeredAt(a), phases)];
    r.requests++;
    if (a.retries) r.retried++;
    if (isError(a)) r.errors++;
    // A 201 whose order the database does not have is a sale lost outright.
    if (a.status === 201 && a.orderId && !known.has(a.orderId)) r.lost++;
  }
  for (const o of facts.orders) {
    const i = phaseAt(o.createdAt, phases);
    const x = outcome(o, paid.has(o.id));
    out[i].lost += Number(x.lost);
    out[i].duplicated += Number(x.duplicated);
    out[i].stuck += Number(x.stuck);
    out[i].kept += Number(x.kept);
  }
  return out;
}

/** The whole run in one row: the sums, the final stock, and the slowest recovery. */
export function total(rs: Row[], facts: Facts): Row {
  const sum = (k: keyof Row) => rs.reduce((n, r) => n + (r[k] as number), 0);
  const recoveries = rs.map((r) => r.recoverMs);
  return {
    fault: 'all',
    requests: sum('requests'),
    retried: sum('retried'),
    errors: sum('errors'),
    lost: sum('lost'),
    duplicated: sum('duplicated'),
    oversold: Math.max(oversold(facts.stock), ...rs.map((r) => r.oversold)),
    stuck: sum('stuck') + facts.queued,
    kept: sum('kept'),
    recoverMs: recoveries.includes(null) ? null : Math.max(0, ...(recoveries as number[])),
  };
}

export function verdicts(answers: Answer[], phases: Phase[], facts: Facts): Verdict[] {
  const paid = new Set(answers.filter((a) => a.status === 201 && a.orderId).map((a) => a.orderId!));
  const byId = new Map(facts.orders.map((o) => [o.id, o]));
  const notOnce = [...paid].filter((id) => !fulfilledOnce(byId.get(id)));
  const kept = facts.orders.filter((o) => !paid.has(o.id) && o.keptCharges > 0);
  const twice = facts.orders.filter((o) => outcome(o, paid.has(o.id)).duplicated);
  const snapshots = [...phases.map((p) => ({ at: p.fault, stock: p.stock ?? [] })), { at: 'the end', stock: facts.stock }];
  const drift = snapshots.flatMap((s) =>
    drifted(s.stock).map((x) => `${x.sku} at ${s.at}: ${x.initial} != ${x.available}+${x.sold}+${x.held}`),
  );
  const over = snapshots.flatMap((s) => (oversold(s.stock) ? [`${s.at}`] : []));
  const unsold = facts.stock.filter((s) => s.sold !== s.ordered).map((s) => `${s.sku}: sold ${s.sold}, in paid orders ${s.ordered}`);
  const pending = facts.orders.filter((o) => o.status === 'pending');
  // Published and not consumed: in the worker's queue still (as many as it holds), or lost.
  const lost = facts.events.filter(lostEvent).slice(facts.queued);
  const waiting = facts.events.filter(waitingEvent);
  const count = (p: (e: EventFacts) => boolean) => facts.events.filter(p).length;
  const perPhase = rows(answers, phases, facts);
  const notRecovered = phases.filter((_, i) => perPhase[i].recoverMs === null).map((p) => p.fault);
  const ids = (xs: { id: string }[]) => xs.slice(0, 5).map((x) => x.id.slice(0, 8));
  return [
    {
      invariant: 'every checkout answered 201 is fulfilled exactly once',
      ok: notOnce.length === 0,
      detail: `${paid.size} answered 201, ${notOnce.length} not fulfilled exactly once${notOnce.length ? ` (${ids(notOnce.map((id) => ({ id })))}...)` : ''}`,
    },
    {
      invariant: 'no checkout not answered 201 keeps a charge',
      ok: kept.length === 0,
      detail: `${kept.length} kept (order status: ${statuses(kept)})${kept.length ? ` (${ids(kept)})` : ''}`,
    },
    { invariant: 'nothing charged, shipped or notified twice', ok: twice.length === 0, detail: `${twice.length} orders` },
    {
      invariant: 'stock is conserved: initial = available + sold + held',
      ok: drift.length === 0,
      detail: drift.length ? drift.slice(0, 5).join('; ') : `${facts.stock.length} products, ${snapshots.length} snapshots`,
    },
    { invariant: 'nothing oversold', ok: over.length === 0, detail: over.length ? `oversold at ${over.join(', ')}` : 'available >= 0' },
    {
      // A checkout that dies between committing its stock and marking the order paid is failed by
      // the sweep, which voids the charge and restocks what was committed.
      invariant: 'stock is sold only to paid orders',
      finding: true,
      ok: unsold.length === 0,
      detail: unsold.length ? unsold.join('; ') : 'sold = units in paid or fulfilled orders',
    },
    {
      invariant: 'no order stays pending after the sweep',
      ok: pending.length === 0,
      detail: `${pending.length} pending${pending.length ? ` (${ids(pending)})` : ''}`,
    },
    {
      invariant: 'no message lost: outbox = consumed + parked + dead-lettered',
      ok: lost.length === 0 && waiting.length === 0 && facts.queued === 0,
      detail:
        `${facts.events.length} outbox rows = ${count((e) => e.consumed)} consumed + ${count((e) => !e.consumed && e.parked)} parked + ` +
        `${count((e) => !e.consumed && !e.parked && e.deadLettered)} dead-lettered; ${lost.length} lost, ${waiting.length} unpublished, ${facts.queued} queued`,
    },
    {
      invariant: 'checkouts succeed again after every fault',
      ok: notRecovered.length === 0,
      detail: notRecovered.length ? `not within the phase: ${notRecovered.join(', ')}` : `${phases.length} phases`,
    },
  ];
}

/**
 * The orders that kept a charge without a 201, each with the answers that could have been its
 * checkout's (sent before the order was created, answered after): what the client was told.
 */
export function keptCharges(answers: Answer[], facts: Facts) {
  const paid = new Set(answers.filter((a) => a.status === 201 && a.orderId).map((a) => a.orderId!));
  return facts.orders
    .filter((o) => !paid.has(o.id) && o.keptCharges > 0)
    .map((o) => ({
      id: o.id,
      status: o.status,
      createdAt: o.createdAt,
      told: answers
        .filter((a) => a.status !== 201 && a.sentAt <= o.createdAt && o.createdAt <= answeredAt(a))
        .map((a) => `${a.status} ${a.code ?? ''}`.trim()),
    }));
}

function statuses(orders: OrderFacts[]): string {
  const n = new Map<string, number>();
  for (const o of orders) n.set(o.status, (n.get(o.status) ?? 0) + 1);
  return [...n].map(([s, c]) => `${c} ${s}`).join(', ') || 'none';
}
