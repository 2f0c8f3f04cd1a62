// The runtime metrics, read only when the metrics are sent: nothing here runs between two sends.
// Not @opentelemetry/instrumentation-runtime-node: its event loop delay sampler woke every service
// a hundred times a second and its GC observer ran on every collection: idle, the six services spent
// 26 to 31 ms of CPU a second more with it, for figures no dashboard or quest read (docs/performance.md).
import { performance } from 'node:perf_hooks';
import { getHeapSpaceStatistics } from 'node:v8';
import type { MeterProvider } from '@opentelemetry/api';

/** The semantic conventions' names, as the upstream instrumentation reports them. */
const METRIC = {
  ELU: 'nodejs.eventloop.utilization',
  HEAP_USED: 'v8js.memory.heap.used',
  RSS: 'process.memory.usage',
} as const;

export function recordRuntimeMetrics(provider: MeterProvider): void {
  const meter = provider.getMeter('tracequest-runtime');
  // How busy the event loop was since the last send, from 0 (idle) to 1 (never idle).
  let last = performance.eventLoopUtilization();
  meter
    .createObservableGauge(METRIC.ELU, { description: 'Event loop utilization since the last send', unit: '1' })
    .addCallback((result) => {
      const now = performance.eventLoopUtilization();
      result.observe(performance.eventLoopUtilization(now, last).utilization);
      last = now;
    });
  meter.createObservableGauge(METRIC.HEAP_USED, { description: 'Heap space used, by V8 heap space', unit: 'By' }).addCallback((result) => {
    for (const s of getHeapSpaceStatistics()) result.observe(s.space_used_size, { 'v8js.heap.space.name': s.space_name });
  });
  meter.createObservableGauge(METRIC.RSS, { description: 'Resident set size of the process', unit: 'By' }).addCallback((result) => {
    result.observe(process.memoryUsage.rss());
  });
}
