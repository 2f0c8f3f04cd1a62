import express, { type Request, type Response, Router } from 'express';
import type { Config } from './config';
import { relay } from './relay';

const NAME = /^[a-z0-9_-]{1,64}$/;
const json = express.raw({ type: 'application/json', limit: '16kb', inflate: false });

/**
 * The Faults tab's endpoints: the gateway's admin API, with the admin token added here. The token
 * lives only in this process; the browser never sees it.
 */
export function adminRoutes(config: Config): Router {
  const admin = { name: "the gateway's admin API", url: config.ADMIN_URL, timeoutMs: config.UPSTREAM_TIMEOUT_MS };
  const send = (res: Response, method: string, path: string, body?: Buffer) =>
    relay(res, admin, {
      method,
      path,
      headers: {
        'x-admin-token': config.ADMIN_TOKEN,
        'x-admin-client': 'console',
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body,
      passBack: ['retry-after'],
    });
  /** The name in the path, checked; and a JSON body where one is needed. */
  const named = (req: Request, res: Response, param: string): string | undefined => {
    const name = req.params[param];
    if (typeof name === 'string' && NAME.test(name)) return name;
    res.status(400).json({ error: { code: 'bad_name', message: `${param} must be lower-case letters, digits, _ or -` } });
  };
  const body = (req: Request, res: Response): Buffer | undefined => {
    if (Buffer.isBuffer(req.body)) return req.body;
    res.status(415).json({ error: { code: 'unsupported_media_type', message: 'send JSON (content-type: application/json)' } });
  };

  const r = Router();
  r.get('/console/faults', (_req, res) => send(res, 'GET', '/admin/faults'));
  r.put('/console/faults/:fault', json, (req, res) => {
    const name = named(req, res, 'fault');
    const params = name && body(req, res);
    if (name && params) return send(res, 'PUT', `/admin/faults/${name}`, params);
  });
  r.delete('/console/faults/:fault', (req, res) => {
    const name = named(req, res, 'fault');
    if (name) return send(res, 'DELETE', `/admin/faults/${name}`);
  });
  r.delete('/console/faults', (_req, res) => send(res, 'DELETE', '/admin/faults'));
  r.post('/console/scenarios/:name', json, (req, res) => {
    const name = named(req, res, 'name');
    const request = name && body(req, res);
    if (name && request) return send(res, 'POST', `/admin/scenarios/${name}`, request);
  });
  return r;
}
