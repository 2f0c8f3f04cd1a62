import net from 'node:net';

/** What the Collector and Jaeger listen on natively (infra/otel-collector/config.yaml, infra/jaeger/config.yaml). */
export const PIPELINE_PORTS = [
  'OTLP_GRPC_PORT',
  'OTLP_HTTP_PORT',
  'COLLECTOR_HEALTH_PORT',
  'COLLECTOR_METRICS_PORT',
  'COLLECTOR_PROMETHEUS_PORT',
  'JAEGER_UI_PORT',
  'JAEGER_QUERY_GRPC_PORT',
  'JAEGER_HEALTH_PORT',
  'JAEGER_METRICS_PORT',
  'JAEGER_OTLP_GRPC_PORT',
];

const isFree = (port: number, host: string) =>
  new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });

/**
 * Fails before anything starts when a port the run needs is taken: otherwise a second npm start
 * would find the first one's services ready on those ports and restart its own, which cannot
 * listen, forever.
 */
export async function ensurePortsFree(ports: Record<string, string | undefined>, host = '127.0.0.1'): Promise<void> {
  const taken: string[] = [];
  for (const [name, port] of Object.entries(ports)) if (port && !(await isFree(Number(port), host))) taken.push(`${port} (${name})`);
  if (taken.length === 0) return;
  const listed = taken.length > 3 ? `${taken.slice(0, 3).join(', ')} and ${taken.length - 3} more` : taken.join(', ');
  throw new Error(
    `${taken.length === 1 ? 'port' : 'ports'} ${listed} on ${host} already in use: is tracequest running already ` +
      '(another npm start, or docker compose up)? Stop it first, or move the port in .env',
  );
}
