#!/usr/bin/env node
// npm run quest -- list | start <n> | check <n> [--trace id] [--span id] [--answer text] | quiz <n> [--answers b,a,c] | hint <n> | reset
// The same against npm start and docker compose (addresses from .env or the environment).
import { parseArgs } from 'node:util';
import { wanted } from './quests/catalog';
import { QuestRunner } from './quests/runner';

const usage = (cmd: string) => `usage: ${cmd} <command>
  list                                   every quest, its state and the badges you earned
  start <n> [--force]                    sets the quest up (faults off, its incident on) and tells you the task
  check <n> [--trace <id>] [--span <id>] [--answer <text>]
                                         checks your work against the live traces
  quiz <n> [--answers b,a,c]             the knowledge check: shows the questions, or grades your answers
  hint <n>                               one more hint each time
  reset                                  faults off, the quest's set-up undone (your progress stays)`;

function number(arg: string | undefined): number {
  const n = Number(arg);
  if (!Number.isInteger(n) || n < 1) throw new Error(`expected a quest number, got "${arg ?? ''}"`);
  return n;
}

export async function runQuestCli(argv: string[], out: (line: string) => void = console.log, runner = new QuestRunner()): Promise<void> {
  const quest = runner.settings.questCommand;
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      trace: { type: 'string' },
      span: { type: 'string' },
      answer: { type: 'string' },
      answers: { type: 'string' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [cmd, arg, stray] = positionals;
  // `check 13 --answer GET /products` would check the answer "GET": a word left over is refused.
  const takesNumber = ['start', 'check', 'quiz', 'hint'].includes(cmd);
  const extra = takesNumber ? stray : cmd === 'list' || cmd === 'reset' ? arg : undefined;
  if (extra !== undefined) {
    const quote = cmd === 'check' ? ' (an answer with spaces goes in quotes: --answer "GET /products")' : '';
    throw new Error(`${cmd} takes ${takesNumber ? 'one quest number' : 'no argument'}; what is "${extra}"?${quote}`);
  }
  switch (cmd) {
    case 'list': {
      for (const s of runner.status()) {
        const where = s.composeOnly ? ' (compose only)' : '';
        const badges = s.badges.length ? `  badges: ${s.badges.join(', ')}` : '';
        const marker = s.active ? '>' : ' ';
        out(
          `${marker}${String(s.id).padStart(3)}  ${s.title.padEnd(40)} ${s.difficulty.padEnd(12)} ${String(s.minutes).padStart(3)} min  ${s.state}${s.state === 'locked' ? ` (finish quest ${s.unfinished.join(', ')} first)` : ''}${where}${badges}`,
        );
      }
      return;
    }
    case 'start': {
      const q = await runner.start(number(arg), { force: values.force });
      const submit = q.submit.map((s) => `--${s} <${wanted(q, s) ?? (s === 'answer' ? 'your answer' : `${s} id`)}>`).join(' ');
      out(`Quest ${q.id}: ${q.title} (${q.difficulty}, about ${q.minutes} minutes)\n`);
      out(q.brief);
      out('\nSteps:');
      for (const [i, step] of q.steps.entries()) out(`  ${i + 1}. ${step}`);
      out(`\nWhen you have it:  ${quest} check ${q.id}${submit ? ` ${submit}` : ''}`);
      out(`Knowledge check:   ${quest} quiz ${q.id}`);
      out(`Stuck?             ${quest} hint ${q.id}`);
      return;
    }
    case 'check': {
      const id = number(arg);
      const r = await runner.check(id, { trace: values.trace, span: values.span, answer: values.answer });
      for (const f of r.found) out(`  ok       ${f}`);
      for (const m of r.missing) out(`  missing  ${m}`);
      out(r.passed ? `\nPASS: quest ${id}'s check is done.` : `\nNOT YET: quest ${id} still needs what is missing above.`);
      if (r.passed && !r.done) out(`Now the knowledge check: ${quest} quiz ${id}`);
      if (r.done && r.passed) out(`Quest ${id} complete. Badges: ${r.badges.join(', ')}`);
      if (!r.passed) process.exitCode = 1;
      return;
    }
    case 'quiz': {
      const id = number(arg);
      if (!values.answers) {
        for (const q of runner.questions(id)) out(q);
        out(
          `\nAnswer with: ${quest} quiz ${id} --answers ${runner
            .quest(id)
            .knowledge.map(() => '<letter>')
            .join(',')}`,
        );
        return;
      }
      const r = runner.quiz(id, values.answers.split(','));
      out(r.verdict);
      if (r.done && r.passed) out(`Quest ${id} complete. Badges: ${r.badges.join(', ')}`);
      else if (r.passed) out(`Now the check: ${quest} check ${id}`);
      if (!r.passed) process.exitCode = 1;
      return;
    }
    case 'hint': {
      const { hint, shown, total } = runner.hint(number(arg));
      out(`Hint ${shown} of ${total}: ${hint}`);
      return;
    }
    case 'reset':
      await runner.reset();
      out('all faults off; your progress is kept');
      return;
    default:
      out(usage(quest));
      if (cmd && cmd !== 'help' && !values.help) throw new Error(`unknown command "${cmd}"`);
  }
}

if (require.main === module)
  runQuestCli(process.argv.slice(2)).catch((err) => {
    console.error(`quest: ${err.message}`);
    process.exit(1);
  });
