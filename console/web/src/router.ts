import { useEffect, useState } from 'preact/hooks';

export const TABS = ['shop', 'traces', 'metrics', 'logs', 'faults', 'quests'] as const;
export type Tab = (typeof TABS)[number];

/** Where the page is: #/shop, #/traces?service=..., #/traces/<trace id>?span=<span id>, #/metrics, #/logs?service=...&level=...&q=..., #/faults, #/quests?trace=...&span=.... */
export interface Route {
  tab: Tab;
  traceId?: string;
  query: URLSearchParams;
}

export function parseRoute(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first, second] = path.split('/');
  const tab = (TABS as readonly string[]).includes(first) ? (first as Tab) : 'shop';
  const traceId = tab === 'traces' && second && /^[0-9a-f]{1,32}$/i.test(second) ? second.toLowerCase() : undefined;
  return { tab, traceId, query: new URLSearchParams(search) };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

const withQuery = (path: string, query?: Record<string, string | undefined>) => {
  const q = new URLSearchParams(Object.entries(query ?? {}).filter((e): e is [string, string] => !!e[1])).toString();
  return q ? `${path}?${q}` : path;
};

export const links = {
  trace: (traceId: string, spanId?: string) => withQuery(`#/traces/${traceId}`, { span: spanId }),
  /** The Quests tab with this trace (and span) filled in for the quest being played. */
  quest: (traceId: string, spanId?: string) => withQuery('#/quests', { trace: traceId, span: spanId }),
  search: (query: Record<string, string | undefined>) => withQuery('#/traces', query),
};
