// One fixed-rate step of checkouts (the checkout-rate scenario of loadtest/scenarios.json), sent
// by the native load runner: vegeta paces the arrivals, the runner checks every answer.
import { appendFileSync } from 'node:fs';
import { runLoad } from '@tracequest/load';

export interface LoadTarget {
  vegeta: string;
  baseUrl: string;
  jaegerUrl: string;
  token: string;
  /** Where the runner's lines go (failed checks print their trace links there). */
  logFile: string;
}

export interface StepResult {
  rate: number;
  seconds: number;
  checkouts: number;
  /** Checkouts not paid: any status but 201 "paid", and network errors. */
  errors: number;
  /** Arrivals not sent in time: started late (every worker busy, or the generator starved), or never sent. */
  dropped: number;
  p50: number;
  p95: number;
  p99: number;
  /** Held: p95 under the limit, no errors, nothing dropped, and (almost) every checkout made. */
  sustained: boolean;
}

export async function checkoutStep(t: LoadTarget, rate: number, seconds: number, p95LimitMs = 250): Promise<StepResult> {
  const { summary } = await runLoad({
    scenario: 'checkout-rate',
    vegeta: t.vegeta,
    baseUrl: t.baseUrl,
    jaegerUrl: t.jaegerUrl,
    token: t.token,
    rate,
    seconds,
    // Workers ready for half a second of latency per checkout; vegeta adds more up to MAX_VUS.
    vus: Math.ceil(rate / 2) + 5,
    env: { P95_MS: String(p95LimitMs) },
    log: (line) => appendFileSync(t.logFile, `${line}\n`),
  });
  const c = summary.tasks.checkOut;
  const r: StepResult = {
    rate,
    seconds,
    checkouts: c.count,
    errors: c.failedChecks,
    dropped: summary.dropped,
    p50: c.p50,
    p95: c.p95,
    p99: c.p99,
    sustained: false,
  };
  r.sustained = r.p95 < p95LimitMs && r.errors === 0 && r.dropped === 0 && r.checkouts >= 0.95 * rate * seconds;
  return r;
}
