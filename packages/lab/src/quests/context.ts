import type { AdminClient } from '../admin-client';
import type { Collector } from '../collector';
import type { FlatSpan, Jaeger } from '../jaeger';
import { rootOf } from '../jaeger';
import type { LabSettings } from '../settings';
import type { Quest } from './catalog';
import type { Shopper } from './shopper';

/** What a check can look at: the live backends, the quest, when it started, what its set-up chose. */
export interface QuestContext {
  settings: LabSettings;
  jaeger: Jaeger;
  admin: AdminClient;
  shop: Shopper;
  /** The Collector's OTLP receiver, for a check that sends a span of its own through the pipeline. */
  collector: Collector;
  quest: Quest;
  /** When `start` ran (ms since the epoch); traces older than this are not the learner's work. */
  startedAt: number;
  /** The seed the set-up's scenario was started with, so the check knows its hidden target. */
  seed?: number;
  /**
   * Parts of a multi-step check verified by an earlier run since `start`, and where a check adds
   * what it verified now: natively a restart of npm start empties Jaeger, so what was seen before
   * a restart the quest asks for must not have to be seen again.
   */
  verified: Set<string>;
}

export interface CheckInput {
  trace?: string;
  span?: string;
  answer?: string;
}

export interface CheckResult {
  passed: boolean;
  /** What is still missing, said so the learner knows what to do next. */
  missing: string[];
  /** What the check found right. */
  found: string[];
  /** Fields the check no longer reads (a part verified before): not listed as still empty. */
  unread?: (keyof CheckInput)[];
}

export type Check = (ctx: QuestContext, input: CheckInput) => Promise<CheckResult>;

/** Collects what is found and what is missing; passed when nothing is missing. */
export class Verdict {
  readonly missing: string[] = [];
  readonly found: string[] = [];
  readonly unread = new Set<keyof CheckInput>();

  /** Records `ok` when cond holds, `missing` otherwise; returns cond. */
  expect(cond: boolean, ok: string, missing: string): boolean {
    (cond ? this.found : this.missing).push(cond ? ok : missing);
    return cond;
  }

  fail(missing: string): CheckResult {
    this.missing.push(missing);
    return this.result();
  }

  result(): CheckResult {
    return { passed: this.missing.length === 0, missing: this.missing, found: this.found, unread: [...this.unread] };
  }
}

/** How to undo quest 11's tail sampling, natively and in compose (an .env default is none.yaml). */
export const TAIL_SAMPLING_OFF = 'run npm start again without OTELCOL_EXTRA_CONFIG; compose: docker compose up -d';

const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

/**
 * The trace the learner submitted, if it is a real trace made since the quest started; otherwise
 * the verdict says what is wrong with it.
 */
export async function submittedTrace(ctx: QuestContext, input: CheckInput, v: Verdict): Promise<FlatSpan[] | undefined> {
  const id = input.trace?.trim().toLowerCase();
  if (!id) return void v.missing.push('a trace id: --trace <32 hex digits>');
  if (!TRACE_ID.test(id)) return void v.missing.push(`"${input.trace}" is not a trace id (32 hex digits)`);
  const spans = await ctx.jaeger.trace(id).catch(() => undefined);
  if (!spans)
    return void v.missing.push(
      `trace ${id} is not in Jaeger (yet?): check the id, or wait a few seconds. Natively Jaeger keeps traces in memory: a restart of npm start empties it, so make the trace again after one. Some traces are never kept: one whose traceparent said not sampled (flags 00), and most, while the Collector's tail sampling from quest 11 is on (${TAIL_SAMPLING_OFF})`,
    );
  const root = rootOf(spans);
  if (root && root.startMs < ctx.startedAt - 1000)
    return void v.missing.push(`trace ${id} is from before this quest started: use one made after \`quest start ${ctx.quest.id}\``);
  v.found.push(`trace ${id} (${spans.length} spans)`);
  return spans;
}

/** The span the learner submitted, in the given trace. */
export function submittedSpan(spans: FlatSpan[], input: CheckInput, v: Verdict): FlatSpan | undefined {
  const id = input.span?.trim().toLowerCase();
  if (!id) return void v.missing.push('a span id: --span <16 hex digits>');
  if (!SPAN_ID.test(id)) return void v.missing.push(`"${input.span}" is not a span id (16 hex digits)`);
  const span = spans.find((s) => s.spanId === id);
  if (!span) return void v.missing.push(`span ${id} is not in that trace`);
  return span;
}

export const describe = (s: FlatSpan) => `${s.service} "${s.name}"`;
