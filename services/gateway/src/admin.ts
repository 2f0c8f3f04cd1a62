import { timingSafeEqual } from 'node:crypto';
import { type ActiveFaults, type FaultCatalog, type FaultState, type ScenarioResult, scenarioRequest } from '@tracequest/contracts';
import { FAULTS, FaultInputError, type FaultStore, type ParamValues, SCENARIOS } from '@tracequest/faults';
import { AppError, errorMiddleware, parse, unmatchedRoutes } from '@tracequest/service-kit';
import type { Logger } from '@tracequest/telemetry';
import express, { type Request, type RequestHandler, Router } from 'express';
import { z } from 'zod';

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a),
    y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Who made an admin call, for the audit log: the address, and what the client says it is. */
const who = (req: Request) => ({
  address: req.socket.remoteAddress,
  user_agent: req.get('user-agent')?.slice(0, 200),
  client: req.get('x-admin-client')?.slice(0, 100),
});

/** Every admin call needs the x-admin-token header: missing is 401, wrong is 403 (and logged). */
function requireAdmin(token: string, logger: Logger): RequestHandler {
  return (req, _res, next) => {
    const given = req.get('x-admin-token');
    if (!given) throw new AppError(401, 'unauthenticated', 'missing x-admin-token header');
    if (!sameSecret(given, token)) {
      logger.warn({ audit: { action: 'refused', method: req.method, path: req.path, who: who(req) } }, 'admin call with a wrong token');
      throw new AppError(403, 'forbidden', 'wrong admin token');
    }
    next();
  };
}

/**
 * At most `perMinute` calls a minute from one address: 429 with Retry-After after that, so the
 * token cannot be guessed and the flags file not hammered. Calls with the right token and the rest
 * count apart, so a flood of wrong guesses from an address (loopback: every local process) does not
 * lock out the console and the CLI that hold the token.
 */
export function rateLimit(perMinute: number, trusted: (req: Request) => boolean, now = () => Date.now()): RequestHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res, next) => {
    const key = `${req.socket.remoteAddress ?? '?'} ${trusted(req) ? 'token' : 'other'}`;
    const t = now();
    let w = windows.get(key);
    if (!w || t - w.start >= 60_000) {
      if (windows.size >= 10_000) windows.clear();
      w = { start: t, count: 0 };
      windows.set(key, w);
    }
    if (++w.count > perMinute) {
      res.setHeader('retry-after', String(Math.max(1, Math.ceil((w.start + 60_000 - t) / 1000))));
      throw new AppError(429, 'rate_limited', `more than ${perMinute} admin calls a minute: wait and try again`);
    }
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

/** The fault controls: list, set, clear, reset and run scenarios. Every change is logged with who made it. */
function adminRoutes(store: FaultStore, logger: Logger): Router {
  const r = Router();
  // After a change succeeds: what changed and who changed it (a hidden target stays hidden here too).
  const audit = (req: Request, action: string, target: string | undefined, params?: unknown) =>
    logger.info({ audit: { action, target, params, who: who(req) } }, `admin ${action}${target ? ` ${target}` : ''}`);
  r.get('/admin/faults', (_req, res) => {
    const scenarios = SCENARIOS.map(({ faults, ...s }) => ({ ...s, faults: Object.keys(faults(1)) }));
    res.json({ faults: FAULTS, scenarios, active: shown(store.active()) } satisfies FaultCatalog);
  });
  r.put('/admin/faults/:fault', (req, res) => {
    const params = change(() => store.set(req.params.fault, parse(paramsBody, req.body ?? {})));
    audit(req, 'set', req.params.fault, shown({ [req.params.fault]: params })[req.params.fault]);
    res.json({ name: req.params.fault, params } satisfies FaultState);
  });
  r.delete('/admin/faults/:fault', (req, res) => {
    change(() => store.clear(req.params.fault));
    audit(req, 'clear', req.params.fault);
    res.json({ name: req.params.fault, state: 'off' });
  });
  r.delete('/admin/faults', (req, res) => {
    store.reset();
    audit(req, 'reset', undefined);
    res.json({ active: {} } satisfies ActiveFaults);
  });
  r.post('/admin/scenarios/:name', (req, res) => {
    const { seed, reveal } = parse(scenarioRequest, req.body ?? {});
    const faults = change(() => store.scenario(req.params.name, seed, reveal));
    // A hidden scenario's seed is its answer too (the scenario picks its target from it).
    audit(req, 'scenario', req.params.name, { seed: reveal === false ? 'hidden' : seed, reveal, faults: shown(faults) });
    res.json({ name: req.params.name, faults: shown(faults) } satisfies ScenarioResult);
  });
  return r;
}

export interface AdminAppOptions {
  store: FaultStore;
  token: string;
  logger: Logger;
  ratePerMinute: number;
}

/**
 * The admin API's own app, for its own listener (loopback natively; in compose on the private
 * network only): nothing of it is reachable on the shop's public port.
 */
export function createAdminApp({ store, token, logger, ratePerMinute }: AdminAppOptions) {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => void res.json({ status: 'ok' }));
  app.use(rateLimit(ratePerMinute, (req) => sameSecret(req.get('x-admin-token') ?? '', token)));
  app.use('/admin', requireAdmin(token, logger));
  const { options, unmatched } = unmatchedRoutes(app);
  app.use(options);
  app.use(express.json({ limit: '16kb', strict: true, inflate: false }));
  app.use(adminRoutes(store, logger));
  app.use(unmatched);
  app.use(errorMiddleware(logger));
  return app;
}
