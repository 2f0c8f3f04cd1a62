import { type Faults, markFault } from '@tracequest/faults';

/**
 * The inventory faults, kept apart from the SQL they bend. Each returns what the caller needs
 * (a SQL fragment, a delay, a choice of query plan) and marks the active span when it acts.
 */

/** slow_query: a real pg_sleep inside the statement, so the database span itself is slow (its text names no fault). */
export async function slowQueryJoin(faults: Faults | undefined): Promise<string> {
  const f = await faults?.get('slow_query');
  if (!f) return '';
  markFault('slow_query', { 'fault.latency_ms': Number(f.ms) });
  return ` CROSS JOIN (SELECT pg_sleep(${Number(f.ms) / 1000})) AS pause`;
}

/** n_plus_one: whether to load the catalog one row at a time. With fix=true, the batch query runs. */
export async function loadOneByOne(faults: Faults | undefined): Promise<boolean> {
  const f = await faults?.get('n_plus_one');
  if (!f) return false;
  if (f.fix) {
    markFault('n_plus_one', { 'fault.fixed': true });
    return false;
  }
  markFault('n_plus_one');
  return true;
}

/** lock_contention: how long to keep the row locks before committing (0 when off or fixed). */
export async function lockHoldMs(faults: Faults | undefined): Promise<number> {
  const f = await faults?.get('lock_contention');
  if (!f) return 0;
  markFault('lock_contention', { 'fault.hold_ms': Number(f.hold_ms), 'fault.fixed': Boolean(f.fix) });
  return f.fix ? 0 : Number(f.hold_ms);
}
