import { questCheckRequest } from '@tracequest/contracts';
import { QuestRefused } from '@tracequest/lab';
import express, { type NextFunction, type Request, type Response, Router } from 'express';
import { type QuestBook, UnknownQuest } from './quests';

/** Runs a QuestBook call and answers with its result, or with the one error shape. */
const answer = (work: (req: Request) => Promise<unknown>) => async (req: Request, res: Response, next: NextFunction) => {
  try {
    res.json(await work(req));
  } catch (err) {
    if (err instanceof UnknownQuest) return void res.status(404).json({ error: { code: 'unknown_quest', message: err.message } });
    // Locked, not started, compose only: the runner says why, the learner can act on it.
    if (err instanceof QuestRefused) return void res.status(409).json({ error: { code: 'quest_refused', message: err.message } });
    next(err);
  }
};

/** The Quests tab's endpoints, over whatever QuestBook the console was started with. */
export function questRoutes(quests: QuestBook): Router {
  const r = Router();
  r.get(
    '/console/quests',
    answer(() => quests.list()),
  );
  r.get(
    '/console/quests/:id',
    answer((req) => quests.detail(String(req.params.id))),
  );
  r.post(
    '/console/quests/stop',
    answer(() => quests.stop()),
  );
  r.post(
    '/console/quests/:id/start',
    answer((req) => quests.start(String(req.params.id))),
  );
  r.post(
    '/console/quests/:id/hint',
    answer((req) => quests.hint(String(req.params.id))),
  );
  r.post('/console/quests/:id/check', express.json({ limit: '16kb', inflate: false }), (req, res, next) => {
    const parsed = questCheckRequest.safeParse(req.body ?? {});
    if (!parsed.success)
      return void res
        .status(400)
        .json({ error: { code: 'invalid_answer', message: parsed.error.issues.map((i) => i.message).join('; ') } });
    return answer(() => quests.check(String(req.params.id), parsed.data))(req, res, next);
  });
  return r;
}
