import { JWKS_PATH, loginRequest, registerRequest, SERVICE_TOKEN_PATH, serviceTokenRequest } from '@tracequest/contracts';
import { parse, pathId, requireCaller } from '@tracequest/service-kit';
import { Router } from 'express';
import { type AccountDeps, findUser, issueServiceToken, logIn, registerUser } from './accounts';

export function routes(deps: AccountDeps): Router {
  const r = Router();
  r.post('/register', async (req, res) => {
    res.status(201).json(await registerUser(deps, parse(registerRequest, req.body)));
  });
  r.post('/login', async (req, res) => {
    res.json(await logIn(deps, parse(loginRequest, req.body), req.ip ?? 'unknown'));
  });
  r.post(SERVICE_TOKEN_PATH, async (req, res) => {
    res.json(await issueServiceToken(deps, parse(serviceTokenRequest, req.body)));
  });
  // Internal: who a user is (the worker addresses the shipping notification), for the worker only.
  r.get('/users/:id', requireCaller(deps.tokens, { services: ['worker'] }), async (req, res) => {
    res.json(await findUser(deps, pathId(req, 'user')));
  });
  // The public keys every service verifies tokens with; verifiers cache them.
  r.get(JWKS_PATH, (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(deps.tokens.jwks());
  });
  return r;
}
