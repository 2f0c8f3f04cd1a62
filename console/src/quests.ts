// Where the Quests tab gets its quests. The quest runner's registry plugs in here, and only here,
// by implementing QuestBook; until then the stub below offers none and reads nothing.
import type { QuestCheckRequest, QuestCheckResult, QuestDetail, QuestHint, QuestList } from '@tracequest/contracts';

export class UnknownQuest extends Error {
  constructor(readonly id: string) {
    super(`no quest "${id}"`);
  }
}

export interface QuestBook {
  /** Every quest, with the learner's status in it, and which runner answers. */
  list(): Promise<QuestList>;
  /** Sets the quest up (its scenario, say) and says what to do and what its check will ask. */
  start(id: string): Promise<QuestDetail>;
  /** What start said, for the quest being played, without setting it up again. */
  detail(id: string): Promise<QuestDetail>;
  /** The next hint: one more each call. */
  hint(id: string): Promise<QuestHint>;
  /** Checks the answers, the trace and the span the learner found. */
  check(id: string, answer: QuestCheckRequest): Promise<QuestCheckResult>;
  /** Stops the quest being played: every fault off, its set-up undone, the progress kept. */
  stop(): Promise<QuestList>;
}

const unknown = async (id: string): Promise<never> => {
  throw new UnknownQuest(id);
};

/** No runner connected: no quests. */
export const stubQuestBook: QuestBook = {
  list: async () => ({ items: [], runner: { name: 'none', connected: false } }),
  start: unknown,
  detail: unknown,
  hint: unknown,
  check: (id) => unknown(id),
  stop: async () => ({ items: [], runner: { name: 'none', connected: false } }),
};
