// The results: the targets they are held against, a table for people, a JSON file for machines,
// and the table of docs/performance.md, written from the JSON (never by hand).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '@tracequest/stack';
import type { Trial } from './trial';

export interface Spread {
  median: number;
  min: number;
  max: number;
}

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
  p95_ms_off: number;
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
  cpu_ms_per_checkout_on: Spread & { by_process: Record<string, number> };
  cpu_ms_per_checkout_off: Spread & { by_process: Record<string, number> };
  service_cpu_ms_per_checkout_on: Spread;
  service_cpu_ms_per_checkout_off: Spread;
  cpu_ratio: Spread & { per_pair: number[] };
  /** The machine's speed over the trials (each trial's speed_ms): compare runs only at a like speed. */
  speed_ms: Spread;
  trials: Trial[];
  /** Set when some trial ran on a machine too busy to trust (quick runs report anyway). */
  busy?: string[];
  targets: Record<string, { target: string; value: string; pass: boolean }>;
  steps: Record<string, unknown>;
}

export const spread = (xs: number[]): Spread => {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { median: r(median), min: r(s[0]), max: r(s[s.length - 1]) };
};

export const TARGETS = {
  service_cpu_ms_per_checkout_off: '<= 12 ms',
  cpu_ratio: '<= 1.25',
  p95_ms: '<= 60 ms at 25/s, telemetry on',
  max_sustained_rps_on: '>= 100 checkouts/s',
  cold_start_ms: '<= 3000 ms',
  rss_mb: '<= 120 MB each',
} as const;

export function judge(r: Omit<Results, 'targets'>): Results['targets'] {
  const maxRss = Math.max(...Object.values(r.rss_mb));
  return {
    service_cpu_ms_per_checkout_off: {
      target: TARGETS.service_cpu_ms_per_checkout_off,
      value: `${r.service_cpu_ms_per_checkout_off.median} ms`,
      pass: r.service_cpu_ms_per_checkout_off.median <= 12,
    },
    cpu_ratio: { target: TARGETS.cpu_ratio, value: String(r.cpu_ratio.median), pass: r.cpu_ratio.median <= 1.25 },
    p95_ms: { target: TARGETS.p95_ms, value: `${r.p95_ms} ms`, pass: r.p95_ms <= 60 && r.errors === 0 },
    max_sustained_rps_on: {
      target: TARGETS.max_sustained_rps_on,
      value: `${r.max_sustained_rps_on}/s`,
      pass: r.max_sustained_rps_on >= 100,
    },
    cold_start_ms: { target: TARGETS.cold_start_ms, value: `${r.cold_start_ms} ms`, pass: r.cold_start_ms <= 3000 },
    rss_mb: { target: TARGETS.rss_mb, value: `${maxRss} MB at most`, pass: maxRss <= 120 },
  };
}

const fmt = (s: Spread) => `${s.median} (${s.min}–${s.max})`;

/** The results as Markdown tables: the same text in the terminal and in docs/performance.md. */
export function markdown(r: Results): string {
  const m = r.machine;
  const procs = Object.keys(r.cpu_ms_per_checkout_on.by_process);
  const lines = [
    `Run ${r.date} (${r.mode}), on ${m.cpus} × ${m.model}, ${m.memory_gb} GiB, ${m.os}, Node ${m.node}; ${r.trials.length / 2} pairs of trials at ${r.fixed_rate_rps} checkouts/s, telemetry on and off in turn, each pair in the other order from the one before. The machine's speed: ${fmt(r.speed_ms)} ms for the fixed piece of work (lower is faster).`,
    ...(r.busy?.length ? ['', `**The machine was busy during this run; read the numbers with care:** ${r.busy.join('; ')}.`] : []),
    '',
    '| Target | Value | Held against | |',
    '|---|---|---|---|',
    ...Object.entries(r.targets).map(([k, t]) => `| ${k} | ${t.value} | ${t.target} | ${t.pass ? 'pass' : 'MISS'} |`),
    '',
    'CPU per checkout, in ms: median (min–max) over the trials.',
    '',
    '| Process | Telemetry on | Telemetry off |',
    '|---|---|---|',
    ...procs.map((p) => `| ${p} | ${r.cpu_ms_per_checkout_on.by_process[p]} | ${r.cpu_ms_per_checkout_off.by_process[p] ?? ''} |`),
    `| **the six services** | ${fmt(r.service_cpu_ms_per_checkout_on)} | ${fmt(r.service_cpu_ms_per_checkout_off)} |`,
    `| **all processes** | ${fmt(r.cpu_ms_per_checkout_on)} | ${fmt(r.cpu_ms_per_checkout_off)} |`,
    `| **ratio on / off, per pair** | ${fmt(r.cpu_ratio)}: ${r.cpu_ratio.per_pair.join(', ')} | |`,
    '',
    '| Number | Telemetry on | Telemetry off |',
    '|---|---|---|',
    `| checkout p50 / p95 / p99 at ${r.fixed_rate_rps}/s | ${r.p50_ms} / ${r.p95_ms} / ${r.p99_ms} ms | p95 ${r.p95_ms_off} ms |`,
    `| errors / dropped (all trials) | ${r.errors} / ${r.dropped} | |`,
    `| max sustained checkouts/s (saturation search) | ${r.max_sustained_rps_on} | ${r.max_sustained_rps_off} |`,
    `| cold start of the six services | ${r.cold_start_ms} ms | ${r.cold_start_off_ms} ms |`,
    `| RSS after the run, MB | ${Object.entries(r.rss_mb)
      .map(([s, mb]) => `${s} ${mb}`)
      .join(', ')} | ${Object.entries(r.rss_off_mb)
      .map(([s, mb]) => `${s} ${mb}`)
      .join(', ')} |`,
    `| spans per checkout | ${r.spans_per_checkout} (${Object.entries(r.spans_per_checkout_by_service)
      .map(([s, n]) => `${s} ${n}`)
      .join(', ')}) | |`,
    `| spans exported to Jaeger | ${r.exported_spans_per_checkout} per checkout, ${r.exported_spans_per_s}/s | |`,
    '',
    '| Trial | Mode | CPU ms/checkout (services) | p95 ms | Cold start ms | Other CPU (cores) | Steal % | Load avg | Speed ms |',
    '|---|---|---|---|---|---|---|---|---|',
    ...r.trials.map(
      (t, i) =>
        `| ${i + 1} | ${t.mode} | ${t.cpu_ms_per_checkout} (${t.service_cpu_ms_per_checkout}) | ${t.p95_ms} | ${t.cold_start_ms} | ${t.foreign_cores} | ${t.steal_pct} | ${t.loadavg_1m} | ${t.speed_ms} |`,
    ),
  ];
  return lines.join('\n');
}

export const RESULTS_DIR = path.join(REPO_ROOT, 'bench', 'results');
export const DOC = path.join(REPO_ROOT, 'docs', 'performance.md');
export const DOC_RESULTS = path.join(REPO_ROOT, 'docs', 'performance.json');
const BEGIN = '<!-- bench:results (written by npm run bench from docs/performance.json; do not edit) -->';
const END = '<!-- /bench:results -->';

/** Writes latest.json and a copy named by the date (in bench/results unless told otherwise). */
export function save(r: Results, dir = RESULTS_DIR): string {
  mkdirSync(dir, { recursive: true });
  const latest = path.join(dir, 'latest.json');
  writeFileSync(latest, `${JSON.stringify(r, null, 2)}\n`);
  copyFileSync(latest, path.join(dir, `${r.date.replace(/[:.]/g, '-')}${r.mode === 'quick' ? '-quick' : ''}.json`));
  return latest;
}

/** The results block of docs/performance.md, rendered from these results. */
export const docBlock = (r: Results) => `${BEGIN}\n${markdown(r)}\n${END}`;

/** The block docs/performance.md holds now. */
export function currentDocBlock(): string | undefined {
  const text = readFileSync(DOC, 'utf8');
  const i = text.indexOf(BEGIN);
  const j = text.indexOf(END);
  return i >= 0 && j > i ? text.slice(i, j + END.length) : undefined;
}

/** A full run writes its results into the docs: docs/performance.json, and the table from it. */
export function publish(r: Results): void {
  writeFileSync(DOC_RESULTS, `${JSON.stringify(r, null, 2)}\n`);
  const text = readFileSync(DOC, 'utf8');
  const old = currentDocBlock();
  writeFileSync(DOC, old ? text.replace(old, docBlock(r)) : `${text.trimEnd()}\n\n${docBlock(r)}\n`);
}
