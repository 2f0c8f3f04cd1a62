import { z } from 'zod';

/**
 * console server -> its page, inline in index.html: where the page's surroundings are. Addresses
 * only: the console server holds every secret (the admin token) itself.
 */
export const consolePageConfig = z.object({
  /** Where the browser exports its spans (the Collector's OTLP/HTTP receiver), or null when off. */
  otlpTracesUrl: z.url().nullable(),
  /** Jaeger's own UI and Grafana, when the stack has them (compose); null natively. */
  jaegerUiUrl: z.url().nullable(),
  grafanaUrl: z.url().nullable(),
  /** What drops traces in this stack (a head sampler, the Collector's tail sampling), or null when every trace is kept. */
  sampling: z.string().nullable(),
  /** The baggage keys the services carry on and copy onto every span (the rest are dropped). */
  baggageKeys: z.array(z.string()),
});
export type ConsolePageConfig = z.infer<typeof consolePageConfig>;
