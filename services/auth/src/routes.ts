import { parse } from '@tracequest/service-kit';
import { Router } from 'express';
import { z } from 'zod';
import { type AccountDeps, introspectToken, logIn, registerUser } from './accounts';

const email = z.email().max(254);
const registerBody = z.strictObject({ email, password: z.string().min(8).max(128), name: z.string().trim().min(1).max(100) });
const loginBody = z.strictObject({ email, password: z.string().min(1).max(128) });
const introspectBody = z.strictObject({ token: z.string().min(1).max(4096) });

export function routes(deps: AccountDeps): Router {
  const r = Router();
  r.post('/register', async (req, res) => {
    res.status(201).json(await registerUser(deps, parse(registerBody, req.body)));
  });
  r.post('/login', async (req, res) => {
    res.json(await logIn(deps, parse(loginBody, req.body)));
  });
  r.post('/introspect', async (req, res) => {
    res.json(await introspectToken(deps, parse(introspectBody, req.body).token));
  });
  return r;
}
