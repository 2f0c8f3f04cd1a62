import { introspectRequest, loginRequest, registerRequest } from '@tracequest/contracts';
import { parse } from '@tracequest/service-kit';
import { Router } from 'express';
import { type AccountDeps, introspectToken, logIn, registerUser } from './accounts';

export function routes(deps: AccountDeps): Router {
  const r = Router();
  r.post('/register', async (req, res) => {
    res.status(201).json(await registerUser(deps, parse(registerRequest, req.body)));
  });
  r.post('/login', async (req, res) => {
    res.json(await logIn(deps, parse(loginRequest, req.body)));
  });
  r.post('/introspect', async (req, res) => {
    res.json(await introspectToken(deps, parse(introspectRequest, req.body).token));
  });
  return r;
}
