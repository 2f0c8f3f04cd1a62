// The quest files are the one source of the quests: they parse, they agree with their answer keys,
// their checks and the registry of faults, and the index is generated from them.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { findFault, findScenario } from '@tracequest/faults';
import { REPO_ROOT } from '@tracequest/stack';
import {
  CHECKS,
  labSettings,
  letter,
  listedQuestions,
  loadQuests,
  QUIZ_TRIES,
  QuestRunner,
  renderQuestIndex,
  runQuestCli,
  section,
} from '../src';

const DIR = path.join(REPO_ROOT, 'docs/quests');
const quests = loadQuests(DIR);

describe('the quests in docs/quests', () => {
  it('when the quest files are read, then there are at least 14, numbered 1..n, each with a check of its own', () => {
    assert.ok(quests.length >= 14, `${quests.length} quests`);
    assert.deepEqual(
      quests.map((q) => q.id),
      quests.map((_, i) => i + 1),
    );
    for (const q of quests) assert.ok(q.slug.startsWith(String(q.id).padStart(2, '0')), `${q.slug} is quest ${q.id}`);
    assert.deepEqual(
      Object.keys(CHECKS)
        .map(Number)
        .sort((a, b) => a - b),
      quests.map((q) => q.id),
    );
  });

  it('when a quest is read, then it has every part the format asks for, and links its answer key', () => {
    for (const q of quests) {
      for (const heading of [/^The (incident|task)/, /^Steps/, /^Knowledge check/, /^Check your work/])
        assert.match(q.body, new RegExp(`^## ${heading.source.slice(1)}`, 'm'), `${q.slug}: a section ${heading}`);
      assert.ok(q.body.includes(`](answers/${q.slug}.md)`), `${q.slug} links its answer key`);
      assert.deepEqual(
        listedQuestions(q),
        q.knowledge.map((k) => k.question),
        `${q.slug}: its knowledge check lists the front matter's questions`,
      );
      assert.ok(
        q.correct.every((c, i) => c.charCodeAt(0) - 97 < q.knowledge[i].choices.length),
        `${q.slug}: each answer is one of the choices`,
      );
      assert.ok(
        q.prerequisites.every((p) => p < q.id),
        `${q.slug}: prerequisites come earlier`,
      );
      for (const s of q.submit)
        assert.match(q.body, new RegExp(`check ${q.id}[^\\n]*--${s}`), `${q.slug}: the check command asks for --${s}`);
    }
  });

  it('when a quest sets up faults or a scenario, then they exist in the registry, and nothing of the answer is in its brief', () => {
    for (const q of quests) {
      if (q.setup.scenario) assert.ok(findScenario(q.setup.scenario), `${q.slug}: scenario ${q.setup.scenario}`);
      for (const name of Object.keys(q.setup.faults ?? {})) assert.ok(findFault(name), `${q.slug}: fault ${name}`);
      // The answer key's text is not repeated in the quest: no span id, no "the culprit is" phrase.
      assert.doesNotMatch(q.brief, /fault\.name|answer is/i, `${q.slug}: its brief gives nothing away`);
    }
  });

  it('when a quest needs the compose backends, then it says so, shows the compose command, and natively neither starts nor grades it', async () => {
    for (const q of quests.filter((x) => x.compose_only)) assert.match(q.body, /docker compose run --rm quest/, q.slug);
    assert.ok(quests.filter((q) => !q.compose_only).length >= 14, 'at least 14 quests work natively');
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-only-'));
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: path.join(dir, 'progress.json') }));
    const q = quests.find((x) => x.compose_only)!;
    const refused = new RegExp(`quest ${q.id} reads the compose stack's backends \\(Tempo, Grafana\\), which npm start does not run`);
    await assert.rejects(runner.start(q.id, { force: true }), refused);
    // Not "locked: start it with --force": no start works natively.
    assert.throws(() => runner.quiz(q.id, q.correct), refused);
  });

  it("when the README counts the quests and the hands-on ones, then the count is the quest files'", () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const words = [
      'Zero',
      'One',
      'Two',
      'Three',
      'Four',
      'Five',
      'Six',
      'Seven',
      'Eight',
      'Nine',
      'Ten',
      'Eleven',
      'Twelve',
      'Thirteen',
      'Fourteen',
      'Fifteen',
      'Sixteen',
      'Seventeen',
      'Eighteen',
      'Nineteen',
      'Twenty',
    ];
    assert.match(readme, new RegExp(`^${words[quests.length]} quests, `, 'm'));
    assert.match(readme, new RegExp(`${words[quests.filter((q) => q.hands_on).length]} have you change code or the Collector's config`));
  });

  it('when the index is read, then it is what the quest files generate (npm run docs:quests)', () => {
    assert.equal(readFileSync(path.join(DIR, 'README.md'), 'utf8'), renderQuestIndex(quests));
  });

  it('when the runner runs in the compose container, then what it tells the learner to type is the compose command', async () => {
    const runner = new QuestRunner(labSettings({ QUEST_COMMAND: 'docker compose run --rm quest' }));
    const lines: string[] = [];
    await runQuestCli(['quiz', '1'], (l) => lines.push(l), runner);
    await runQuestCli(['help'], (l) => lines.push(l), runner);
    const text = lines.join('\n');
    assert.match(text, /Answer with: docker compose run --rm quest quiz 1 --answers/);
    assert.match(text, /^usage: docker compose run --rm quest <command>/m);
    assert.doesNotMatch(text, /npm run/);
    assert.throws(() => runner.quest(99), /see: docker compose run --rm quest list/);
  });

  it('when a word is left over after the command (an answer with spaces not in quotes), then nothing is checked and it says how to quote', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stray-'));
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: path.join(dir, 'progress.json') }));
    let checked = false;
    runner.check = async () => {
      checked = true;
      throw new Error('checked');
    };
    await assert.rejects(
      runQuestCli(['check', '13', '--answer', 'GET', '/products'], () => {}, runner),
      { message: 'check takes one quest number; what is "/products"? (an answer with spaces goes in quotes: --answer "GET /products")' },
    );
    assert.equal(checked, false);
    await assert.rejects(
      runQuestCli(['list', 'all'], () => {}, runner),
      { message: 'list takes no argument; what is "all"?' },
    );
    await assert.rejects(
      runQuestCli(['hint', '1', '2'], () => {}, runner),
      { message: 'hint takes one quest number; what is "2"?' },
    );
    assert.equal(existsSync(path.join(dir, 'progress.json')), false, 'no hint was taken');
  });

  it('when quests are listed, then each locked one names the quests to finish first, and only those not done', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'list-'));
    const file = path.join(dir, 'progress.json');
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: file }));
    const listed = async () => {
      const lines: string[] = [];
      await runQuestCli(['list'], (l) => lines.push(l), runner);
      return lines;
    };
    const line = (lines: string[], id: number) => lines.find((l) => l.slice(1).trimStart().startsWith(`${id} `)) ?? '';
    let lines = await listed();
    assert.match(line(lines, 1), / open$/);
    assert.match(line(lines, 2), / locked \(finish quest 1 first\)$/);
    assert.match(line(lines, 5), / locked \(finish quest 4 first\)$/);
    // Done quests are no longer named, and what they kept locked opens.
    writeFileSync(file, JSON.stringify({ quests: { 1: { done: true } } }));
    lines = await listed();
    assert.match(line(lines, 1), / done$/);
    assert.match(line(lines, 2), / open$/);
    assert.match(line(lines, 5), / locked \(finish quest 4 first\)$/);
  });

  it('when a locked quest is checked before it was started, then the answer says it is locked too', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'locked-'));
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: path.join(dir, 'progress.json') }));
    await assert.rejects(runner.check(3, {}), (e: Error) =>
      /^quest 3 is not started: .* start 3 \(it is locked: finish quest 1 first, or start it with --force\)$/.test(e.message),
    );
    await assert.rejects(runner.check(1, {}), (e: Error) => /quest 1 is not started: .* start 1$/.test(e.message));
  });

  it('when a knowledge check is graded, then it says how many answers are right, never which, and passing says so', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'quiz-'));
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: path.join(dir, 'progress.json') }));
    const q = runner.quest(1);
    const flip = (c: string) => (c === 'a' ? 'b' : 'a');
    const one = runner.quiz(1, [flip(q.correct[0]), ...q.correct.slice(1)]);
    assert.equal(one.passed, false);
    assert.equal(
      one.verdict,
      `Not quite: 2 of 3 answers are right. Read the quest's objectives and your traces again, then answer all 3. 2 tries left.`,
    );
    assert.ok(!('wrong' in one), 'the wrong questions are not named');
    assert.match(
      runner.quiz(1, [q.correct[0], ...q.correct.slice(1).map(flip)]).verdict,
      /^Not quite: 1 of 3 answers is right.* 1 try left\.$/,
    );
    const lines: string[] = [];
    await runQuestCli(['quiz', '1', '--answers', q.correct.join(',')], (l) => lines.push(l), runner);
    assert.equal(lines[0], 'All right.');
    // Passed, it stays passed: a later wrong answer neither undoes it nor counts.
    assert.equal(runner.quiz(1, q.correct.map(flip)).passed, false);
    assert.ok(runner.quiz(1, q.correct).passed);
  });

  it('when three knowledge checks were wrong since the start, then a fourth is not graded; a letter beyond the choices costs no try', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'quiz-'));
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: path.join(dir, 'progress.json') }));
    const q = runner.quest(1);
    const flip = (c: string) => (c === 'a' ? 'b' : 'a');
    const beyond = letter(q.knowledge[0].choices.length);
    assert.throws(
      () => runner.quiz(1, [beyond, ...q.correct.slice(1)]),
      new RegExp(`answer 1 is "${beyond}": question 1 has choices a to `),
    );
    // The same wrong answers again (the console sends them with every check) cost no other try.
    const wrong = q.correct.map(flip);
    assert.match(
      runner.quiz(1, wrong).verdict,
      new RegExp(`Not quite: 0 of 3 .*again, then answer all 3\\. ${QUIZ_TRIES - 1} tries left\\.$`),
    );
    for (let i = 0; i < QUIZ_TRIES; i++)
      assert.match(
        runner.quiz(1, wrong).verdict,
        new RegExp(`Not quite: 0 of 3 .* These answers were tried before, so no try was used: ${QUIZ_TRIES - 1} tries left\\.$`),
      );
    // Each other wrong set costs one.
    for (let i = 1; i < QUIZ_TRIES; i++)
      assert.equal(
        runner.quiz(
          1,
          q.correct.map((c, j) => (j < i ? c : flip(c))),
        ).passed,
        false,
        `wrong set ${i}`,
      );
    assert.throws(() => runner.quiz(1, wrong), /no tries left/, 'once none is left, not even a known wrong set is graded');
    // Changing one letter at a time would find every answer: the right ones now are refused too.
    assert.throws(
      () => runner.quiz(1, q.correct),
      /no tries left at quest 1's knowledge check: 3 wrong since it started.*start 1` gives 3 more/,
    );
  });

  it('when a quest is read, then its steps are the numbered items of its "Steps", each whole', () => {
    for (const q of quests) {
      const listed = (section(q.body, /^Steps$/) ?? '').split('\n').filter((l) => /^\d+\.\s/.test(l));
      assert.equal(q.steps.length, listed.length, `quest ${q.id}`);
      assert.ok(q.steps.length >= 2, `quest ${q.id} has steps`);
      for (const step of q.steps) assert.ok(!step.includes('\n') && !/^\d+\./.test(step), `quest ${q.id}: ${step}`);
    }
    // A step wrapped over lines comes back as one.
    assert.match(quests.find((q) => q.id === 11)!.steps[1], /^Head sampling: .*How many of the failed ones are in Jaeger\?/);
  });

  it('when a knowledge check of two questions is graded, then it asks for both', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'quiz-'));
    const file = path.join(dir, 'progress.json');
    writeFileSync(file, JSON.stringify({ quests: { 1: { done: Date.now() } } }));
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: file }));
    const q = runner.quest(12);
    assert.equal(q.knowledge.length, 2);
    const wrong = q.correct[0] === 'a' ? 'b' : 'a';
    assert.equal(
      runner.quiz(12, [wrong, q.correct[1]]).verdict,
      `Not quite: 1 of 2 answers is right. Read the quest's objectives and your traces again, then answer both. 2 tries left.`,
    );
  });

  it('when a quest is locked, then its knowledge check is not graded', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'quiz-'));
    const runner = new QuestRunner(labSettings({ QUEST_PROGRESS_FILE: path.join(dir, 'progress.json') }));
    assert.throws(() => runner.quiz(5, runner.quest(5).correct), /quest 5 is locked: finish quest/);
  });

  it('when a learner always picks the longest choice, or the shortest, then almost no knowledge check passes: no length gives the answer away', () => {
    const pick = (longest: boolean) =>
      quests.filter((q) =>
        q.knowledge.every((k, i) => {
          const lengths = k.choices.map((c) => c.length);
          const chosen = lengths.indexOf(longest ? Math.max(...lengths) : Math.min(...lengths));
          return String.fromCharCode(97 + chosen) === q.correct[i];
        }),
      ).length;
    assert.ok(pick(true) <= 2, `${pick(true)} quizzes pass by always picking the longest`);
    assert.ok(pick(false) <= 2, `${pick(false)} quizzes pass by always picking the shortest`);
  });

  it('when the right answers are counted over every quest, then each letter is right about as often: no position gives them away', () => {
    const letters = quests.flatMap((q) => q.correct);
    for (const l of ['a', 'b', 'c'])
      assert.ok(letters.filter((x) => x === l).length >= letters.length / 4, `${l} is the right answer too rarely: ${letters.join('')}`);
  });
});
