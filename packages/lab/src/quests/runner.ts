import { AdminClient } from '../admin-client';
import { Collector } from '../collector';
import { Jaeger } from '../jaeger';
import { type LabSettings, labSettings } from '../settings';
import { letter, loadQuests, type Quest, wanted } from './catalog';
import { CHECKS } from './checks';
import type { CheckInput, CheckResult, QuestContext } from './context';
import { entryOf, type Progress, readProgress, writeProgress } from './progress';
import { gradeQuiz } from './quiz';
import { Shopper } from './shopper';

/** What each of a quest's inputs is, named in the list of what is still to give. */
const EMPTY = { trace: 'a trace id', span: 'a span id', answer: 'an answer' } as const;

/** Every service reads the flags file at most 500 ms after a change: then the set-up is in force. */
const settle = () => new Promise((r) => setTimeout(r, 1200));

/** What the learner asked cannot be done as asked (a locked quest, one not started...): the message says why. */
export class QuestRefused extends Error {}

export type QuestState = 'locked' | 'open' | 'done';

export interface QuestStatus {
  id: number;
  title: string;
  difficulty: Quest['difficulty'];
  minutes: number;
  composeOnly: boolean;
  state: QuestState;
  /** Its prerequisites not done yet: what keeps it locked. */
  unfinished: number[];
  active: boolean;
  /** Active, and its check has not passed since it was started (a first play, or playing it again). */
  playing: boolean;
  checked: boolean;
  quizzed: boolean;
  badges: string[];
}

/** start, check, quiz, hint, reset: what `npm run quest` and the console's Quests tab do. */
export class QuestRunner {
  readonly quests: Quest[];
  private readonly jaeger: Jaeger;
  private readonly admin: AdminClient;

  constructor(readonly settings: LabSettings = labSettings()) {
    this.quests = loadQuests(settings.questsDir);
    this.jaeger = new Jaeger(settings.jaegerUrl);
    this.admin = new AdminClient(settings.adminUrl, settings.adminToken, 'quest runner');
  }

  quest(id: number): Quest {
    const q = this.quests.find((x) => x.id === id);
    if (!q) throw new QuestRefused(`no quest ${id}; see: ${this.settings.questCommand} list`);
    return q;
  }

  private progress(): Progress {
    return readProgress(this.settings.progressFile);
  }

  private save(p: Progress): void {
    writeProgress(this.settings.progressFile, p);
  }

  private stateOf(q: Quest, p: Progress): QuestState {
    if (p.quests[q.id]?.done) return 'done';
    return this.unfinished(q, p).length ? 'locked' : 'open';
  }

  private unfinished(q: Quest, p: Progress): number[] {
    return q.prerequisites.filter((id) => !p.quests[id]?.done);
  }

  status(): QuestStatus[] {
    const p = this.progress();
    return this.quests.map((q) => ({
      id: q.id,
      title: q.title,
      difficulty: q.difficulty,
      minutes: q.minutes,
      composeOnly: q.compose_only,
      state: this.stateOf(q, p),
      unfinished: this.unfinished(q, p),
      active: p.active?.id === q.id,
      playing: p.active?.id === q.id && !(p.quests[q.id]?.done && (p.quests[q.id]?.checked ?? 0) >= p.active.startedAt),
      checked: Boolean(p.quests[q.id]?.checked),
      quizzed: Boolean(p.quests[q.id]?.quizzed),
      badges: p.quests[q.id]?.badges ?? [],
    }));
  }

  /** Why this stack cannot play the quest at all, or null. */
  unplayable(q: Quest): string | null {
    return q.compose_only && !(this.settings.tempoUrl || this.settings.prometheusUrl || this.settings.lokiUrl)
      ? `quest ${q.id} reads the compose stack's backends (Tempo, Grafana), which npm start does not run: play it with docker compose (docker compose run --rm quest start ${q.id})`
      : null;
  }

  private requireBackends(q: Quest): void {
    const why = this.unplayable(q);
    if (why) throw new QuestRefused(why);
  }

  /** Turns every fault off, applies the quest's set-up (its causes hidden) and remembers when it started. */
  async start(id: number, opts: { force?: boolean } = {}): Promise<Quest> {
    const q = this.quest(id);
    this.requireBackends(q);
    const p = this.progress();
    if (this.stateOf(q, p) === 'locked' && !opts.force) {
      throw new QuestRefused(`quest ${id} is locked: finish quest ${this.unfinished(q, p).join(', ')} first (or start it with --force)`);
    }
    await this.admin.reset();
    let seed: number | undefined;
    if (q.setup.scenario) {
      seed = Math.floor(Math.random() * 100_000);
      await this.admin.scenario(q.setup.scenario, { seed, reveal: false });
    }
    for (const [name, params] of Object.entries(q.setup.faults ?? {})) await this.admin.set(name, { ...params, reveal: false });
    await settle();
    p.active = { id, startedAt: Date.now(), seed };
    entryOf(p, id).quizTries = 0;
    entryOf(p, id).quizWrong = [];
    this.save(p);
    return q;
  }

  /** The hints given so far, in order: shown again wherever the quest is opened. */
  hintsGiven(id: number): string[] {
    const q = this.quest(id);
    return q.hints.slice(0, this.progress().quests[id]?.hints ?? 0);
  }

  hint(id: number): { hint: string; shown: number; total: number } {
    const q = this.quest(id);
    const p = this.progress();
    const entry = entryOf(p, id);
    const shown = Math.min((entry.hints ?? 0) + 1, q.hints.length);
    entry.hints = shown;
    this.save(p);
    return { hint: q.hints[shown - 1], shown, total: q.hints.length };
  }

  /** Grades the knowledge check (quiz.ts) of a quest that is open, being played, or checked before. */
  quiz(id: number, answers: string[]): { passed: boolean; right: number; verdict: string; done: boolean; badges: string[] } {
    const q = this.quest(id);
    this.requireBackends(q);
    const p = this.progress();
    if (this.stateOf(q, p) === 'locked' && p.active?.id !== id && !p.quests[id]?.checked) {
      const missing = q.prerequisites.filter((x) => !p.quests[x]?.done);
      throw new QuestRefused(`quest ${id} is locked: finish quest ${missing.join(', ')} first (or start it with --force)`);
    }
    const graded = gradeQuiz(q, entryOf(p, id), answers, `${this.settings.questCommand} start ${id}`);
    if ('refused' in graded) throw new QuestRefused(graded.refused);
    const finished = this.finish(q, p);
    this.save(p);
    return { ...graded, ...finished };
  }

  /** Runs the quest's check against the live backends. */
  async check(id: number, input: CheckInput): Promise<CheckResult & { done: boolean; badges: string[] }> {
    const q = this.quest(id);
    this.requireBackends(q);
    const p = this.progress();
    if (p.active?.id !== id) {
      const locked =
        this.stateOf(q, p) === 'locked'
          ? ` (it is locked: finish quest ${this.unfinished(q, p).join(', ')} first, or start it with --force)`
          : '';
      throw new QuestRefused(`quest ${id} is not started: ${this.settings.questCommand} start ${id}${locked}`);
    }
    const ctx: QuestContext = {
      settings: this.settings,
      jaeger: this.jaeger,
      admin: this.admin,
      shop: new Shopper(this.settings.gatewayUrl, this.jaeger),
      collector: new Collector(this.settings.collectorUrl),
      quest: q,
      startedAt: p.active.startedAt,
      seed: p.active.seed,
      verified: new Set(p.active.verified),
    };
    const result = await CHECKS[id](ctx, input);
    // A check stops at the first thing it cannot read (no trace, say): what else is still empty is
    // listed too, so one try names everything the quest wants.
    if (!result.passed)
      for (const flag of q.submit)
        if (!input[flag]?.trim() && !result.unread?.includes(flag) && !result.missing.some((m) => m.includes(`--${flag}`)))
          result.missing.push(`${EMPTY[flag]}: --${flag} <${wanted(q, flag) ?? EMPTY[flag]}>`);
    p.active.verified = [...ctx.verified];
    const entry = entryOf(p, id);
    if (result.passed) entry.checked = Date.now();
    const finished = this.finish(q, p);
    this.save(p);
    const { unread: _, ...said } = result;
    return { ...said, ...finished };
  }

  /** A quest is done once its check and its knowledge check both passed: then its badges are earned. */
  private finish(q: Quest, p: Progress): { done: boolean; badges: string[] } {
    const entry = entryOf(p, q.id);
    if (entry.checked && entry.quizzed && !entry.done) {
      entry.done = Date.now();
      entry.badges = q.badges.map((b) => b.name);
    }
    return { done: Boolean(entry.done), badges: entry.badges ?? [] };
  }

  /** Faults off and the quest's set-up undone; progress is kept. */
  async reset(): Promise<void> {
    await this.admin.reset();
    await settle();
    const p = this.progress();
    p.active = undefined;
    this.save(p);
  }

  questions(id: number): string[] {
    return this.quest(id).knowledge.map(
      (k, i) => `${i + 1}. ${k.question}\n${k.choices.map((c, j) => `   ${letter(j)}) ${c}`).join('\n')}`,
    );
  }
}
