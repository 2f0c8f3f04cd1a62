import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** A learner's progress: a small local file, kept across resets (and ignored by git). */
export interface Progress {
  /** The quest being played, and what its set-up chose (a scenario's seed). */
  active?: { id: number; startedAt: number; seed?: number; verified?: string[] };
  quests: Record<
    string,
    /**
     * quizTries: wrong knowledge checks since the quest was last started; quizWrong: the answers
     * they gave (letters joined), so that the same answers again cost no other try.
     */
    {
      checked?: number;
      quizzed?: number;
      quizTries?: number;
      quizWrong?: string[];
      done?: number;
      hints?: number;
      badges?: string[];
    }
  >;
}

export type QuestProgress = Progress['quests'][string];

/** A quest's entry in the progress, created the first time it is needed. */
export function entryOf(p: Progress, id: number): QuestProgress {
  p.quests[id] ??= {};
  return p.quests[id];
}

export function readProgress(file: string): Progress {
  try {
    const p = JSON.parse(readFileSync(file, 'utf8')) as Progress;
    return { active: p.active, quests: p.quests ?? {} };
  } catch {
    return { quests: {} };
  }
}

export function writeProgress(file: string, progress: Progress): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(progress, null, 2)}\n`);
  renameSync(tmp, file);
}
