// Drives k6 at one fixed rate of checkouts (loadtest/checkout-rate.js) and reads its summary export.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '@tracequest/stack';

export interface K6Target {
  k6: string;
  baseUrl: string;
  jaegerUrl: string;
  token: string;
  /** Where k6's own output goes (failed checks print their trace links there). */
  logFile: string;
}

export interface StepResult {
  rate: number;
  seconds: number;
  checkouts: number;
  /** Checkouts not paid: any status but 201 "paid", and network errors. */
  errors: number;
  dropped: number;
  p50: number;
  p95: number;
  p99: number;
  /** Held: p95 under the limit, no errors, nothing dropped, and (almost) every checkout made. */
  sustained: boolean;
}

type Metric = Record<string, number>;

function run(cmd: string, args: string[], env: Record<string, string>, logFile: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile, { flags: 'a' });
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    child.once('error', reject);
    child.once('exit', (code) => {
      log.end();
      resolve(code ?? 1);
    });
  });
}

export async function checkoutStep(t: K6Target, rate: number, seconds: number, p95LimitMs = 250): Promise<StepResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tq-bench-'));
  const summary = path.join(dir, 'summary.json');
  try {
    const env = {
      BASE_URL: t.baseUrl,
      JAEGER_URL: t.jaegerUrl,
      TOKEN: t.token,
      RATE: String(rate),
      DURATION: `${seconds}s`,
      // VUs ready for half a second of latency per checkout: a VU started mid-run drops arrivals.
      VUS: String(Math.ceil(rate / 2) + 5),
      P95_MS: String(p95LimitMs),
      K6_AUTO_EXTENSION_RESOLUTION: 'false',
      K6_NO_USAGE_REPORT: 'true',
    };
    const args = ['run', '--quiet', '--summary-export', summary, path.join(REPO_ROOT, 'loadtest/checkout-rate.js')];
    const code = await run(t.k6, args, env, t.logFile);
    // 99: thresholds crossed, which is an answer here, not a failure of the run.
    if (code !== 0 && code !== 99) throw new Error(`k6 exited with ${code} at ${rate}/s; see ${t.logFile}`);
    const m = JSON.parse(readFileSync(summary, 'utf8')).metrics as Record<string, Metric | undefined>;
    const d = m['http_req_duration{task:checkOut}'] ?? {};
    // Every check of a checkout passed: 201 and "paid".
    const paid = m['checks{task:checkOut}'] ?? {};
    const r: StepResult = {
      rate,
      seconds,
      checkouts: d.count ?? 0,
      errors: paid.fails ?? 0, // a Rate's "fails" are its false samples (two checks per checkout)
      dropped: m.dropped_iterations?.count ?? 0,
      p50: d.med ?? NaN,
      p95: d['p(95)'] ?? NaN,
      p99: d['p(99)'] ?? NaN,
      sustained: false,
    };
    r.sustained = r.p95 < p95LimitMs && r.errors === 0 && r.dropped === 0 && r.checkouts >= 0.95 * rate * seconds;
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
