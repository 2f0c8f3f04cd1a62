import type { ConsolePageConfig } from '@tracequest/contracts';
import { useEffect, useRef } from 'preact/hooks';
import { FaultsPage } from './faults/faults-page';
import { LogsPage } from './logs/logs-page';
import { MetricsPage } from './metrics/metrics-page';
import { QuestsPage } from './quests/quests-page';
import { type Tab, useRoute } from './router';
import { ShopPage } from './shop/shop-page';
import { TracesPage } from './traces/traces-page';

const TITLES: Record<Tab, string> = {
  shop: 'Shop',
  traces: 'Traces',
  metrics: 'Metrics',
  logs: 'Logs',
  faults: 'Faults',
  quests: 'Quests',
};

export function App({ config }: { config: ConsolePageConfig }) {
  const route = useRoute();
  const main = useRef<HTMLElement>(null);
  // A new tab moves keyboard and screen-reader focus to its content.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else main.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [route.tab, route.traceId]);
  useEffect(() => {
    document.title = `${TITLES[route.tab]} · tracequest console`;
  }, [route.tab]);

  const tab = (t: Tab) => (
    <a href={`#/${t}`} class={`tab tab-${t}`} aria-current={route.tab === t ? 'page' : undefined}>
      {TITLES[t]}
    </a>
  );
  return (
    <>
      <button type="button" class="skip" onClick={() => main.current?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand">tracequest</span>
        <nav aria-label="Console">
          {tab('shop')}
          {tab('traces')}
          {tab('metrics')}
          {tab('logs')}
          {tab('faults')}
          <span class="nav-gap" aria-hidden="true" />
          {tab('quests')}
        </nav>
        <span class="outlinks">
          {config.jaegerUiUrl && <a href={config.jaegerUiUrl}>Jaeger UI</a>}
          {config.grafanaUrl && <a href={config.grafanaUrl}>Grafana</a>}
        </span>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {route.tab === 'shop' && <ShopPage />}
        {route.tab === 'traces' && <TracesPage route={route} config={config} />}
        {route.tab === 'metrics' && <MetricsPage />}
        {route.tab === 'logs' && <LogsPage query={route.query} />}
        {route.tab === 'faults' && <FaultsPage />}
        {route.tab === 'quests' && <QuestsPage picked={{ trace: route.query.get('trace') ?? '', span: route.query.get('span') ?? '' }} />}
      </main>
    </>
  );
}
