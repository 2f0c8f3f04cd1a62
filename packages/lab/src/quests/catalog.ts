// The quests: docs/quests/NN-slug.md (front matter: the data; body: the prose a learner reads) and
// their answer keys in docs/quests/answers/. The runner, the console, the docs and the tests read
// them from here, so none of them can drift from the others.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const params = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

const front = z.strictObject({
  id: z.int().min(1),
  title: z.string().min(3),
  difficulty: z.enum(['novice', 'intermediate', 'advanced']),
  minutes: z.int().min(5).max(90),
  prerequisites: z.array(z.int()).default([]),
  /** Needs Grafana, Tempo or Loki: docker compose only. */
  compose_only: z.boolean().default(false),
  /** Hands-on: the learner changes code or config, not only reads traces. */
  hands_on: z.enum(['code', 'config']).optional(),
  objectives: z.array(z.string()).min(1),
  badges: z.array(z.strictObject({ name: z.string(), description: z.string() })).min(1),
  /** What `start` does after turning every fault off: a scenario (hidden, with a random seed) or faults. */
  setup: z.strictObject({ scenario: z.string().optional(), faults: z.record(z.string(), params).optional() }).default({}),
  /** What `check` wants from the learner. */
  submit: z.array(z.enum(['trace', 'span', 'answer'])).default([]),
  knowledge: z.array(z.strictObject({ question: z.string(), choices: z.array(z.string()).min(2).max(5) })).min(2),
  hints: z.array(z.string()).min(2),
});

const answers = z.strictObject({
  id: z.int(),
  /** The right choice of each knowledge question, as letters: [b, a, c]. */
  knowledge: z.array(z.string().regex(/^[a-e]$/)),
});

export type QuestFront = z.infer<typeof front>;

export interface Quest extends QuestFront {
  slug: string;
  file: string;
  answerFile: string;
  /** The body of the quest file, without its front matter. */
  body: string;
  /** The section a learner needs when starting: the incident or the task. */
  brief: string;
  /** Its steps, one string each (the numbered list of "## Steps", each item on one line). */
  steps: string[];
  /** The right letter of each knowledge question. */
  correct: string[];
}

const FRONT = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/;

function split(file: string): { data: unknown; body: string } {
  const text = readFileSync(file, 'utf8');
  const m = FRONT.exec(text);
  if (!m) throw new Error(`${file} has no front matter`);
  return { data: parseYaml(m[1]), body: m[2] };
}

/** The items of a numbered Markdown list, each item's wrapped lines joined into one. */
function numbered(text: string): string[] {
  const items: string[] = [];
  for (const line of text.split('\n')) {
    const item = /^\d+\.\s+(.*)$/.exec(line);
    if (item) items.push(item[1]);
    else if (items.length && line.trim()) items[items.length - 1] += ` ${line.trim()}`;
  }
  return items;
}

/** The text under a `## <heading>` up to the next heading of the same level. */
export function section(body: string, heading: RegExp): string | undefined {
  const lines = body.split('\n');
  const start = lines.findIndex((l) => /^## /.test(l) && heading.test(l.slice(3)));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && /^## /.test(l));
  return lines
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n')
    .trim();
}

export function loadQuests(dir: string): Quest[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d\d-[a-z0-9-]+\.md$/.test(f))
    .sort();
  return files.map((name) => {
    const file = path.join(dir, name);
    const { data, body } = split(file);
    const parsed = front.safeParse(data);
    if (!parsed.success) throw new Error(`${name}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const answerFile = path.join(dir, 'answers', name);
    const key = answers.parse(split(answerFile).data);
    if (key.id !== parsed.data.id || key.knowledge.length !== parsed.data.knowledge.length)
      throw new Error(`${name}: its answer key does not match its knowledge questions`);
    const brief = section(body, /^The (incident|task)/);
    if (!brief) throw new Error(`${name} has no "## The incident" or "## The task" section`);
    const steps = numbered(section(body, /^Steps$/) ?? '');
    if (!steps.length) throw new Error(`${name} has no numbered "## Steps"`);
    return { ...parsed.data, slug: name.replace(/\.md$/, ''), file, answerFile, body, brief, steps, correct: key.knowledge };
  });
}

export const letter = (i: number) => String.fromCharCode(97 + i);

/** What a quest's check wants for `--<flag> <...>`, as its "Check your work" section says it ("your trace id"). */
export const wanted = (q: Quest, flag: 'trace' | 'span' | 'answer') => new RegExp(`--${flag} ["']?<([^>]+)>`).exec(q.body)?.[1];
