import type { ConsolePageConfig } from '@tracequest/contracts';

/** The page's config, written into index.html by the console server. */
export function readPageConfig(): ConsolePageConfig {
  const text = document.getElementById('console-config')?.textContent ?? '{}';
  const raw = JSON.parse(text) as Partial<ConsolePageConfig>;
  return {
    otlpTracesUrl: raw.otlpTracesUrl ?? null,
    jaegerUiUrl: raw.jaegerUiUrl ?? null,
    grafanaUrl: raw.grafanaUrl ?? null,
    sampling: raw.sampling ?? null,
    baggageKeys: Array.isArray(raw.baggageKeys) ? raw.baggageKeys.filter((k) => typeof k === 'string') : [],
  };
}
