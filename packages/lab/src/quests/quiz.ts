import { letter, type Quest } from './catalog';
import type { QuestProgress } from './progress';

/** Wrong knowledge checks a quest takes per play (per start). */
export const QUIZ_TRIES = 3;

export type Graded = { passed: boolean; right: number; verdict: string };

/**
 * Grades a knowledge check and records it in the quest's progress entry: answers are letters, one
 * per question. It says how many are right, not which: naming the wrong ones would let three tries
 * find every answer without reading. Even the count would, changing one letter at a time: so each
 * play of a quest has QUIZ_TRIES wrong tries, and starting it again (a new incident) gives as many
 * more. Answers already found wrong in this play cost no other try: they tell nothing new (the
 * console sends them with every check). A refusal (malformed answers, no tries left) records nothing.
 */
export function gradeQuiz(q: Quest, entry: QuestProgress, answers: string[], restart: string): Graded | { refused: string } {
  const given = answers.map((a) => a.trim().toLowerCase());
  if (given.length !== q.knowledge.length)
    return {
      refused: `quest ${q.id} has ${q.knowledge.length} questions: give one letter each, e.g. --answers ${q.knowledge.map(() => 'a').join(',')}`,
    };
  for (const [i, k] of q.knowledge.entries())
    if (!k.choices.some((_, j) => letter(j) === given[i]))
      return { refused: `answer ${i + 1} is "${given[i]}": question ${i + 1} has choices a to ${letter(k.choices.length - 1)}` };
  if (!entry.quizzed && (entry.quizTries ?? 0) >= QUIZ_TRIES)
    return {
      refused: `no tries left at quest ${q.id}'s knowledge check: ${QUIZ_TRIES} wrong since it started. Read the quest again, then \`${restart}\` gives ${QUIZ_TRIES} more`,
    };
  const known = given.join(',');
  const again = (entry.quizWrong ?? []).includes(known);
  const right = q.correct.filter((c, i) => given[i] === c).length;
  const passed = right === q.correct.length;
  if (passed) entry.quizzed = Date.now();
  else if (!entry.quizzed && !again) {
    entry.quizTries = (entry.quizTries ?? 0) + 1;
    entry.quizWrong = [...(entry.quizWrong ?? []), known];
  }
  return {
    passed,
    right,
    verdict: verdict(right, q.correct.length, entry.quizzed ? undefined : QUIZ_TRIES - (entry.quizTries ?? 0), again),
  };
}

/** What a graded knowledge check says: all right, or how many of the answers are. */
function verdict(right: number, of: number, triesLeft?: number, again = false): string {
  if (right === of) return 'All right.';
  const tries = `${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left`;
  const left = triesLeft === undefined ? '' : again ? ` These answers were tried before, so no try was used: ${tries}.` : ` ${tries}.`;
  return `Not quite: ${right} of ${of} answers ${right === 1 ? 'is' : 'are'} right. Read the quest's objectives and your traces again, then answer ${of === 2 ? 'both' : `all ${of}`}.${left}`;
}
