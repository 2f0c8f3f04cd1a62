import { type Quest, section } from './catalog';
import { QUIZ_TRIES } from './quiz';

/** docs/quests/README.md, generated from the quest files (`npm run docs:quests`); a test keeps it current. */
export function renderQuestIndex(quests: Quest[]): string {
  const rows = quests.map((q) => {
    const where = q.compose_only ? 'compose only' : 'native and compose';
    const hands = q.hands_on ? `, hands-on ${q.hands_on}` : '';
    const after = q.prerequisites.length ? q.prerequisites.map((p) => String(p).padStart(2, '0')).join(', ') : '';
    return `| [${String(q.id).padStart(2, '0')} ${q.title}](${q.slug}.md) | ${q.difficulty}${hands} | ${q.minutes} min | ${after} | ${where} | ${q.badges.map((b) => b.name).join(', ')} |`;
  });
  return `# Quests

<!-- Generated from the quest files (npm run docs:quests). Do not edit by hand. -->

Each quest sets up an incident (or a task), asks you to find its cause in the traces or to change
the code or the Collector's config, and checks your work against the live traces. The causes are
hidden: the faults a quest turns on leave no marker on the spans, so the traces have to tell you.

| Command | What it does |
|---|---|
| \`npm run quest -- list\` | every quest, its state (locked, open, done) and the badges you earned |
| \`npm run quest -- start <n>\` | turns every fault off, sets the quest up, and tells you the task (never the answer) |
| \`npm run quest -- check <n> [--trace <id>] [--span <id>] [--answer <text>]\` | checks your work against Jaeger (and Tempo, Prometheus or Loki in compose) and says what is still missing |
| \`npm run quest -- quiz <n> [--answers b,a,c]\` | the knowledge check: shows the questions, or grades your answers |
| \`npm run quest -- hint <n>\` | one more hint each time |
| \`npm run quest -- reset\` | faults off and the quest's set-up undone; your progress stays |

With docker compose and no Node on your machine, the same commands run as
\`docker compose run --rm quest <command>\`. A quest is done when its check and its knowledge check
have both passed; then its badges are yours. The knowledge check says how many answers are right,
not which, and takes ${QUIZ_TRIES} wrong tries per start of the quest (the same wrong answers again cost
nothing more). A check that needs fresh traffic places its own checkouts, as a customer it registers
for the purpose (\`quest-check-…@example.com\`) and marked as synthetic (\`baggage: synthetic_request=true\`):
they show in the traces, never among your orders. Your progress lives in
\`.run/quests.json\` (a compose volume with compose). Each quest links its answer key, in [answers/](answers/): try first.

| Quest | Level | Time | After | Runs | Badges |
|---|---|---|---|---|---|
${rows.join('\n')}
`;
}

/** The questions a quest file lists under "## Knowledge check", in order. */
export function listedQuestions(q: Quest): string[] {
  const text = section(q.body, /^Knowledge check/) ?? '';
  return [...text.matchAll(/^\d+\. (.+)$/gm)].map((m) => m[1].trim());
}
