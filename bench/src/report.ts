// The results: the targets they are held against, a table for people, a JSON file for machines.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tracequest/stack';

export interface Results {
  date: string;
  mode: 'full' | 'quick';
  machine: { cpus: number; model: string; memory_gb: number; node: string; os: string; loadavg_1m: number };
  max_sustained_rps_on: number;
  max_sustained_rps_off: number;
  overhead_ratio: number;
  fixed_rate_rps: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  errors: number;
  dropped: number;
  cold_start_ms: number;
  cold_start_off_ms: number;
  rss_mb: Record<string, number>;
  rss_off_mb: Record<string, number>;
  spans_per_checkout: number;
  spans_per_checkout_by_service: Record<string, number>;
  exported_spans_per_s: number;
  exported_spans_per_checkout: number;
  targets: Record<string, { target: string; pass: boolean }>;
  steps: Record<string, unknown>;
}

export const TARGETS = {
  overhead_ratio: '>= 0.85',
  p95_ms: '<= 50 ms at 50/s, no errors',
  cold_start_ms: '<= 5000 ms',
  rss_mb: '<= 150 MB each',
} as const;

export function judge(r: Omit<Results, 'targets'>): Results['targets'] {
  return {
    overhead_ratio: { target: TARGETS.overhead_ratio, pass: r.overhead_ratio >= 0.85 },
    p95_ms: { target: TARGETS.p95_ms, pass: r.p95_ms <= 50 && r.errors === 0 && r.dropped === 0 },
    cold_start_ms: { target: TARGETS.cold_start_ms, pass: r.cold_start_ms <= 5000 },
    rss_mb: { target: TARGETS.rss_mb, pass: Object.values(r.rss_mb).every((mb) => mb <= 150) },
  };
}

export function table(r: Results): string {
  const verdict = (k: keyof typeof TARGETS) => `${r.targets[k].pass ? 'pass' : 'MISS'}  (target ${r.targets[k].target})`;
  const rows: [string, string, string][] = [
    ['max sustained checkouts/s, telemetry on', String(r.max_sustained_rps_on), ''],
    ['max sustained checkouts/s, telemetry off', String(r.max_sustained_rps_off), ''],
    ['overhead ratio (on / off)', r.overhead_ratio.toFixed(2), verdict('overhead_ratio')],
    [`checkout p50 / p95 / p99 at ${r.fixed_rate_rps}/s`, `${r.p50_ms} / ${r.p95_ms} / ${r.p99_ms} ms`, verdict('p95_ms')],
    [`errors / dropped at ${r.fixed_rate_rps}/s`, `${r.errors} / ${r.dropped}`, ''],
    ['cold start of the six services', `${r.cold_start_ms} ms (telemetry off: ${r.cold_start_off_ms} ms)`, verdict('cold_start_ms')],
    ...Object.entries(r.rss_mb).map(([s, mb]): [string, string, string] => [
      `RSS ${s}`,
      `${mb} MB (telemetry off: ${r.rss_off_mb[s] ?? '?'} MB)`,
      '',
    ]),
    ['RSS, all services', '', verdict('rss_mb')],
    ['spans per checkout (one trace)', String(r.spans_per_checkout), ''],
    [
      '  by service',
      Object.entries(r.spans_per_checkout_by_service)
        .map(([s, n]) => `${s} ${n}`)
        .join(', '),
      '',
    ],
    [`exported spans/s at ${r.fixed_rate_rps}/s`, `${r.exported_spans_per_s} (${r.exported_spans_per_checkout} per checkout)`, ''],
  ];
  const w0 = Math.max(...rows.map((x) => x[0].length));
  const w1 = Math.max(...rows.map((x) => x[1].length));
  const m = r.machine;
  return [
    `tracequest benchmark (${r.mode}), ${r.date}`,
    ...(r.mode === 'quick' ? ['quick mode: short steps at low rates; the numbers show the bench works, not how the shop performs'] : []),
    `machine: ${m.cpus} x ${m.model}, ${m.memory_gb} GiB, ${m.os}, node ${m.node}, load average at start ${m.loadavg_1m}`,
    '',
    ...rows.map(([a, b, c]) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`.trimEnd()),
  ].join('\n');
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');

/** Writes latest.json and a copy named by the date (in bench/results unless told otherwise). */
export function save(r: Results, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const latest = path.join(dir, 'latest.json');
  writeFileSync(latest, `${JSON.stringify(r, null, 2)}\n`);
  copyFileSync(latest, path.join(dir, `${r.date.replace(/[:.]/g, '-')}${r.mode === 'quick' ? '-quick' : ''}.json`));
  return latest;
}
