// One trial: the six services restarted with telemetry on or off, warmed up, then one fixed-rate
// step whose CPU is counted, per process, until the shop has finished the step's work.
import { loadavg } from 'node:os';
import { SERVICES, type Stack } from '@tracequest/stack';
import { machineMs, type Processes, rootsNamed, snapshot, speedMs } from './cpu';
import type { Drain } from './drain';
import { collectorCounter, rssMb } from './probes';
import { checkoutStep, type LoadTarget } from './step';

export type Mode = 'on' | 'off';

export interface Trial {
  mode: Mode;
  pair: number;
  cold_start_ms: number;
  checkouts: number;
  errors: number;
  dropped: number;
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  /** CPU of every process per checkout, in ms, and the six services' part of it. */
  cpu_ms_per_checkout: number;
  service_cpu_ms_per_checkout: number;
  by_process: Record<string, number>;
  exported_spans_per_checkout: number;
  rss_mb: Record<string, number>;
  /** How busy the machine was with other work: CPU nobody measured here (in cores), and steal. */
  foreign_cores: number;
  steal_pct: number;
  loadavg_1m: number;
  /** The machine's speed just before the step (speedMs: ms of CPU for a fixed piece of work; lower is faster). */
  speed_ms: number;
  wall_s: number;
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The modes of a pair of trials, in order: on first in odd pairs, off first in even ones. */
export const pairOrder = (pair: number): Mode[] => (pair % 2 ? ['on', 'off'] : ['off', 'on']);

export interface TrialPlan {
  rate: number;
  warmUpSeconds: number;
  seconds: number;
}

export async function runTrial(stack: Stack, target: LoadTarget, drain: Drain, plan: TrialPlan, mode: Mode, pair: number): Promise<Trial> {
  const coldStart = await stack.restartServices({ OTEL_SDK_DISABLED: String(mode === 'off') });

  const warmFrom = new Date();
  if (plan.warmUpSeconds) await checkoutStep(target, plan.rate, plan.warmUpSeconds);
  await drain.settle(warmFrom);

  const groups: Processes = {
    ...Object.fromEntries(Object.entries(stack.pids()).map(([s, pid]) => [s, [pid!]])),
    postgres: rootsNamed(/^postgres/),
    rabbitmq: rootsNamed(/^(beam\.smp|erl_child_setup|inet_gethost|epmd)$/),
    ...Object.fromEntries(Object.entries(stack.infraPids()).map(([n, pid]) => [n, [pid]])),
  };
  const spansMetric = `http://127.0.0.1:${stack.env.COLLECTOR_METRICS_PORT}/metrics`;
  const sentSpans = () => collectorCounter(spansMetric, 'otelcol_exporter_sent_spans', 'exporter="otlp_grpc/jaeger"');
  const load = loadavg()[0];
  const speed = speedMs();
  const spansBefore = await sentSpans();
  const machineBefore = machineMs();
  const before = snapshot(groups);
  const stepFrom = new Date();
  const wallFrom = performance.now();
  const step = await checkoutStep(target, plan.rate, plan.seconds);
  await drain.settle(stepFrom);
  const after = snapshot(groups);
  const machineAfter = machineMs();
  const wall = (performance.now() - wallFrom) / 1000;
  const spans = (await sentSpans()) - spansBefore;

  const paid = Math.max(1, step.checkouts - step.errors);
  const used = Object.fromEntries(Object.keys(after).map((k) => [k, after[k] - (before[k] ?? 0)]));
  const measured = Object.values(used).reduce((a, b) => a + b, 0);
  const services = SERVICES.reduce((sum, s) => sum + (used[s] ?? 0), 0);
  return {
    mode,
    pair,
    cold_start_ms: coldStart,
    checkouts: step.checkouts,
    errors: step.errors,
    dropped: step.dropped,
    p50_ms: round(step.p50, 1),
    p95_ms: round(step.p95, 1),
    p99_ms: round(step.p99, 1),
    cpu_ms_per_checkout: round(measured / paid),
    service_cpu_ms_per_checkout: round(services / paid),
    by_process: Object.fromEntries(Object.entries(used).map(([k, ms]) => [k, round(ms / paid)])),
    exported_spans_per_checkout: round(spans / paid, 1),
    rss_mb: Object.fromEntries(Object.entries(stack.pids()).map(([s, pid]) => [s, rssMb(pid!)])),
    foreign_cores: round(Math.max(0, machineAfter.busy - machineBefore.busy - measured) / 1000 / wall),
    steal_pct: round((100 * (machineAfter.steal - machineBefore.steal)) / Math.max(1, machineAfter.total - machineBefore.total), 1),
    loadavg_1m: round(load),
    speed_ms: speed,
    wall_s: round(wall, 1),
  };
}

/** Why a trial's numbers cannot be trusted, if the machine was busy with other work; undefined when fine. */
export function tooBusy(t: Trial, cores: number): string | undefined {
  if (t.steal_pct > 5) return `${t.steal_pct}% of the CPU time was stolen by the hypervisor`;
  if (t.foreign_cores > 0.25 * cores) return `other processes used ${t.foreign_cores} of ${cores} cores during the step`;
  return undefined;
}
