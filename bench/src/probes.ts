// What the benchmark reads besides the load runner: process memory, the Collector's counters, the machine.
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** Resident memory of a process in MB, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Math.round((Number(m[1]) / 1024) * 10) / 10;
}

/**
 * Sum of one counter in the Collector's own Prometheus metrics, e.g. otelcol_exporter_sent_spans
 * (Collector releases differ on the `_total` suffix: both are read).
 */
export async function collectorCounter(metricsUrl: string, name: string, labelFilter = ''): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  let sum = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(\{[^}]*\})?\s+([0-9.eE+-]+)$/.exec(line);
    if (m && (m[1] === name || m[1] === `${name}_total`) && (m[2] ?? '').includes(labelFilter)) sum += Number(m[3]);
  }
  return sum;
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memory_gb: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    // Other work on the machine skews every number: the load when the run started.
    loadavg_1m: Math.round(os.loadavg()[0] * 100) / 100,
  };
}
