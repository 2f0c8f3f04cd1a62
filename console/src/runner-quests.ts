// The Quests tab over the quest runner itself (packages/lab): the same quests, checks, hints and
// progress file as `npm run quest`, so a learner can switch between the terminal and the tab.
import type { QuestCheckRequest, QuestCheckResult, QuestDetail, QuestHint, QuestList, QuestStatus } from '@tracequest/contracts';
import { type LabSettings, letter, type Quest, QuestRefused, QuestRunner, wanted } from '@tracequest/lab';
import { type QuestBook, UnknownQuest } from './quests';

/** The knowledge questions are "1", "2", ...; what the check asks for besides a trace and a span is "answer". */
const ANSWER = 'answer';

/** What a quest's check asks for in `--<flag> <...>`, as its "Check your work" section says it. */

function answerPrompt(q: Quest): string {
  return `Answer: ${wanted(q, 'answer') ?? 'see the quest'}`;
}

/** Only where the quest says more than the field's own name ("trace id", "id"). */
function labels(q: Quest): QuestDetail['labels'] {
  const said = (flag: 'trace' | 'span') => {
    const p = wanted(q, flag);
    return p && !/^(trace |span )?id$/.test(p) ? p : undefined;
  };
  return { trace: said('trace'), span: said('span') };
}

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The words of a command line: `quest start 2`, or the same without backticks. */
const command = (prefix: string, rest: string) => new RegExp(`\`?(?:${prefix}) ${rest}\`?`, 'g');

/**
 * The checks and the quest files speak to the terminal (--trace <id>, npm run quest -- start 2,
 * npm run fault -- set ...); the page has fields, buttons and the Faults tab.
 */
export function forThePage(message: string, settings: { questCommand: string; faultCommand: string }): string {
  const quest = `${literal(settings.questCommand)}|docker compose run --rm quest|quest`;
  return message
    .replace(command(quest, 'check \\d+(?: --[a-z]+ (?:<[^>]*>|[^\\s`]+))*'), (cmd) => {
      const fields = [/--trace/.test(cmd) && 'the Trace id', /--span/.test(cmd) && 'the Span id'].filter(Boolean);
      return fields.length ? `Check below, with ${fields.join(' and ')} field${fields.length > 1 ? 's' : ''} filled` : 'Check below';
    })
    .replace(/(?:\bthe )?--trace( <[^>]*>)?/g, 'the Trace id field')
    .replace(/(?:\bthe )?--span( <[^>]*>)?/g, 'the Span id field')
    .replace(/(?:\bthe )?--answer( <[^>]*>)?/g, 'the Answer field')
    .replace(command(quest, 'start (\\d+)'), 'Restart on quest $1')
    .replace(
      command(literal(settings.faultCommand), 'set ([a-z_]+) ([a-z_]+=[^\\s`]+(?: [a-z_]+=[^\\s`]+)*)'),
      (_, name: string, params: string) => {
        const settings = params
          .trim()
          .split(' ')
          .map((p) => (p.endsWith('=true') ? `tick ${p.slice(0, -5)}` : `set ${p.replace('=', ' to ')}`));
        return `${settings.join(', ')} on the ${name} card of the Faults tab, and press its Update button`;
      },
    );
}

/** A step of the quest's file, on the page of a quest already started: its start is done. */
function stepForThePage(step: string, settings: { questCommand: string; faultCommand: string }): string {
  const started = new RegExp(
    `\`(?:${literal(settings.questCommand)}|docker compose run --rm quest) start (\\d+)\`(?: \\(compose: \`[^\`]*\`\\))?(?: \\(([^)]*)\\))?`,
    'g',
  );
  return forThePage(
    step
      .replace(/^Start the quest: /, '')
      .replace(started, (_, id: string, aside?: string) => `Start quest ${id} (done${aside ? `; ${aside}` : ''})`),
    settings,
  );
}

export class RunnerQuestBook implements QuestBook {
  private readonly runner: QuestRunner;

  constructor(settings: LabSettings) {
    this.runner = new QuestRunner(settings);
  }

  private quest(id: string): Quest {
    const q = this.runner.quests.find((x) => String(x.id) === id);
    if (!q) throw new UnknownQuest(id);
    return q;
  }

  async list(): Promise<QuestList> {
    const status = this.runner.status();
    return {
      runner: { name: 'tracequest', connected: true },
      items: status.map((s) => {
        // The quest being played is started, also when it is played again or was forced open.
        const state: QuestStatus = s.playing
          ? 'started'
          : s.state === 'done'
            ? 'completed'
            : s.state === 'locked'
              ? 'locked'
              : 'not_started';
        const q = this.quest(String(s.id));
        const where = s.composeOnly ? ', docker compose only' : '';
        const after = q.prerequisites.length ? ` After quest ${q.prerequisites.join(', ')}.` : '';
        const blocked =
          state === 'started'
            ? undefined
            : this.runner.unplayable(q)
              ? 'Docker compose only: it reads Tempo and Grafana, which npm start does not run.'
              : state === 'locked'
                ? `Finish quest ${s.unfinished.join(' and ')} first.`
                : undefined;
        return {
          id: String(s.id),
          title: `${s.id}. ${s.title}`,
          summary: `${s.difficulty}, about ${s.minutes} min${where}.${after} ${sentences(q.objectives)}`,
          status: state,
          badges: s.badges,
          ...(blocked && { blocked }),
          ...(s.active && !s.playing && { setUpStill: true }),
          ...(state === 'started' && { hintsGiven: this.runner.hintsGiven(s.id).length }),
        };
      }),
    };
  }

  async start(id: string): Promise<QuestDetail> {
    const q = this.quest(id);
    // The runner's own refusal offers --force, which the page has not.
    // A quest already being played (started with --force) starts again: Restart.
    const s = this.runner.status().find((x) => x.id === q.id);
    if (s?.state === 'locked' && !s.playing)
      throw new QuestRefused(`quest ${q.id} is locked: finish quest ${q.prerequisites.join(' and ')} first`);
    await this.runner.start(q.id, { force: s?.playing });
    return this.detail(id);
  }

  async detail(id: string): Promise<QuestDetail> {
    const q = this.quest(id);
    const state = this.runner.status().find((s) => s.id === q.id);
    if (!state?.active) throw new QuestRefused(`quest ${q.id} is not started: start it first`);
    const questions: QuestDetail['questions'] = q.knowledge.map((k, i) => ({ id: String(i + 1), prompt: k.question, choices: k.choices }));
    if (q.submit.includes('answer')) questions.unshift({ id: ANSWER, prompt: answerPrompt(q) });
    return {
      id,
      title: `${q.id}. ${q.title}`,
      summary: sentences(q.objectives),
      status: state.playing ? 'started' : 'completed',
      badges: state.badges,
      brief: q.brief,
      steps: q.steps.map((step) => stepForThePage(step, this.runner.settings)),
      asks: q.submit.filter((s): s is 'trace' | 'span' => s !== 'answer'),
      labels: labels(q),
      questions,
      hints: q.hints.length,
      hintsGiven: this.runner.hintsGiven(q.id).map((text, i, all) => ({
        index: i,
        text: forThePage(text, this.runner.settings),
        remaining: q.hints.length - all.length,
      })),
    };
  }

  /** What `npm run quest -- reset` does. */
  async stop(): Promise<QuestList> {
    await this.runner.reset();
    return this.list();
  }

  async hint(id: string): Promise<QuestHint> {
    const q = this.quest(id);
    const { hint, shown, total } = this.runner.hint(q.id);
    return { index: shown - 1, text: forThePage(hint, this.runner.settings), remaining: total - shown };
  }

  /** The check against the live traces, and the knowledge check when every question is answered. */
  async check(id: string, req: QuestCheckRequest): Promise<QuestCheckResult> {
    const q = this.quest(id);
    const answers = req.answers ?? {};
    const r = await this.runner.check(q.id, { trace: req.trace_id, span: req.span_id, answer: answers[ANSWER] });
    const page = (message: string) => forThePage(message, this.runner.settings);
    const feedback = [
      ...r.found.map((message) => ({ about: 'check', ok: true, message: page(message) })),
      ...r.missing.map((message) => ({ about: 'check', ok: false, message: page(message) })),
    ];
    // The choices come back as their text: the runner grades letters.
    const letters = q.knowledge.map((k, i) => {
      const chosen = k.choices.indexOf(answers[String(i + 1)] ?? '');
      return chosen < 0 ? undefined : letter(chosen);
    });
    // Complete is this check and this knowledge check passing: a quest played again after it was
    // done is not complete again until both pass again (its badges stay earned).
    let quizPassed = false;
    let badges = r.badges;
    if (letters.every((l) => l !== undefined)) {
      try {
        const quiz = this.runner.quiz(q.id, letters as string[]);
        quizPassed = quiz.passed && quiz.done;
        badges = quiz.badges;
        feedback.push({ about: 'knowledge', ok: quiz.passed, message: `Knowledge check: ${quiz.verdict}` });
      } catch (err) {
        // No tries left: the trace check's verdict still comes back, with why the questions were not graded.
        if (!(err instanceof QuestRefused)) throw err;
        feedback.push({ about: 'knowledge', ok: false, message: `Knowledge check: ${page(err.message)}` });
      }
    } else feedback.push({ about: 'knowledge', ok: false, message: 'Knowledge check: answer every question.' });
    const done = r.passed && quizPassed;
    if (done) feedback.push({ about: 'done', ok: true, message: `Quest ${q.id} complete. Badges: ${badges.join(', ')}.` });
    return { passed: r.passed, done, feedback };
  }
}

/** The quest's objectives, each a sentence of its own (each begins with a capital). */
const sentences = (objectives: string[]) => objectives.map((o) => `${o.replace(/[.\s]+$/, '')}.`).join(' ');
