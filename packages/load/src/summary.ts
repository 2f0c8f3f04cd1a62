// What a run comes to: per task, per phase, the thresholds; and the table printed at its end.
import { holds, measure, percentile, type Sample, type Threshold } from './thresholds';

/** One request as sent and answered. */
export interface RequestResult extends Sample {
  traceId: string;
  spanId: string;
  sampled: boolean;
  /** 0 when no answer came (see error). */
  status: number;
  error: string;
  checkResults: Record<string, boolean>;
  /** Unix time in ms when vegeta started it, and how long after its slot in the arrivals. */
  startedAt: number;
  lateMs: number;
}

export interface TaskSummary {
  count: number;
  /** Requests that failed as HTTP (no answer, or a status of 400 or more). */
  errors: number;
  /** Requests with at least one failed check. */
  failedChecks: number;
  p50: number;
  p95: number;
  p99: number;
}

export interface PhaseSummary {
  name: string;
  rate: number;
  planned: number;
  sent: number;
  dropped: number;
}

export interface ThresholdResult {
  key: string;
  expression: string;
  value: number | null;
  pass: boolean;
}

export interface LoadSummary {
  scenario: string;
  /** The knobs the run used (a TOKEN shows as "(set)"). */
  knobs: Record<string, string | number>;
  planned: number;
  sent: number;
  /** Arrivals not sent in time: started later than their slot allows, or never sent. */
  dropped: number;
  durationMs: number;
  checks: { passes: number; fails: number };
  tasks: Record<string, TaskSummary>;
  phases: PhaseSummary[];
  thresholds: ThresholdResult[];
  passed: boolean;
  /** What stopped the run early: an abortOnFail threshold, or an interrupt (Ctrl-C). */
  aborted?: string;
}

export function taskSummary(results: RequestResult[]): TaskSummary {
  const sorted = results.map((r) => r.latencyMs).sort((a, b) => a - b);
  return {
    count: results.length,
    errors: results.filter((r) => r.failed).length,
    failedChecks: results.filter((r) => r.checks.includes(false)).length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
}

/** Dropped arrivals are those never sent and those sent late: a late one is also among the sent. */
function droppedLine(s: LoadSummary): string {
  const unsent = s.planned - s.sent;
  if (s.dropped === 0 || s.dropped === unsent) return `${s.dropped} dropped`;
  return `${s.dropped} dropped (${unsent} never sent, ${s.dropped - unsent} sent late)`;
}

export function evaluate(thresholds: Threshold[], samples: Sample[], dropped: number): ThresholdResult[] {
  return thresholds.map((t) => {
    const value = measure(t, samples, dropped);
    return { key: t.key, expression: t.expression, value: value ?? null, pass: holds(t, value) };
  });
}

const ms = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(1));

export function formatSummary(s: LoadSummary): string {
  const rows = Object.entries(s.tasks).map(([t, x]) => [t, x.count, x.errors, x.failedChecks, ms(x.p50), ms(x.p95), ms(x.p99)].map(String));
  const head = ['task', 'count', 'errors', 'failed checks', 'p50 ms', 'p95 ms', 'p99 ms'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    `${s.scenario}: ${s.sent} requests of ${s.planned} planned, ${droppedLine(s)}, in ${(s.durationMs / 1000).toFixed(1)} s`,
    `checks: ${s.checks.passes} passed, ${s.checks.fails} failed`,
    '',
    line(head),
    ...rows.map(line),
    '',
    'thresholds:',
    ...s.thresholds.map(
      (t) => `  ${t.pass ? 'ok  ' : 'FAIL'} ${t.key} ${t.expression} (${t.value === null ? 'no data' : +t.value.toFixed(4)})`,
    ),
    ...(s.aborted ? [`stopped early: ${s.aborted}`] : []),
    s.passed
      ? 'every threshold held'
      : s.thresholds.every((t) => t.pass)
        ? 'stopped before its end: the thresholds held for the part that ran'
        : 'a threshold was crossed',
  ].join('\n');
}
