import { timingSafeEqual } from 'node:crypto';
import { type ActiveFaults, type FaultCatalog, type FaultState, type ScenarioResult, scenarioRequest } from '@tracequest/contracts';
import { FAULTS, FaultInputError, type FaultStore, type ParamValues, SCENARIOS } from '@tracequest/faults';
import { AppError, parse } from '@tracequest/service-kit';
import { type RequestHandler, Router } from 'express';
import { z } from 'zod';

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Every admin call needs the x-admin-token header: missing is 401, wrong is 403. */
function requireAdmin(token: string): RequestHandler {
  return (req, _res, next) => {
    const given = req.get('x-admin-token');
    if (!given) throw new AppError(401, 'unauthenticated', 'missing x-admin-token header');
    if (!sameSecret(given, token)) throw new AppError(403, 'forbidden', 'wrong admin token');
    next();
  };
}

/** Runs a store change, turning bad fault input into the one error shape. */
function change<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FaultInputError) throw new AppError(err.status, err.code, err.message);
    throw err;
  }
}

const paramsBody = z.record(z.string(), z.unknown());

/** A fault set with reveal=false shows no parameters: its target is what a quest asks you to find. */
const shown = (faults: Record<string, ParamValues>) =>
  Object.fromEntries(Object.entries(faults).map(([name, params]) => [name, params.reveal === false ? { hidden: true } : params]));

/** The fault controls: list, set, clear, reset and run scenarios. Not under /api, never public. */
export function adminRoutes(store: FaultStore, token: string): Router {
  const r = Router();
  r.use('/admin', requireAdmin(token));
  r.get('/admin/faults', (_req, res) => {
    const scenarios = SCENARIOS.map(({ faults, ...s }) => ({ ...s, faults: Object.keys(faults(1)) }));
    res.json({ faults: FAULTS, scenarios, active: shown(store.active()) } satisfies FaultCatalog);
  });
  r.put('/admin/faults/:fault', (req, res) => {
    const params = change(() => store.set(req.params.fault, parse(paramsBody, req.body ?? {})));
    res.json({ name: req.params.fault, params } satisfies FaultState);
  });
  r.delete('/admin/faults/:fault', (req, res) => {
    change(() => store.clear(req.params.fault));
    res.json({ name: req.params.fault, state: 'off' });
  });
  r.delete('/admin/faults', (_req, res) => {
    store.reset();
    res.json({ active: {} } satisfies ActiveFaults);
  });
  r.post('/admin/scenarios/:name', (req, res) => {
    const { seed, reveal } = parse(scenarioRequest, req.body ?? {});
    const faults = change(() => store.scenario(req.params.name, seed, reveal));
    res.json({ name: req.params.name, faults: shown(faults) } satisfies ScenarioResult);
  });
  return r;
}
