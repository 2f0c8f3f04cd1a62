import type { Client } from '@openfeature/server-sdk';
import { type Span, trace } from '@opentelemetry/api';
import { isHidden } from './hidden';
import { openFeatureClient } from './openfeature';
import type { ParamValues } from './params';
import type { ServiceName } from './registry';
import { FaultStore } from './store';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const roll = (probability: number) => Math.random() < probability;

/**
 * Marks the active span: the learner who finds it can confirm the cause, and tests can assert it.
 * A fault set with reveal=false (a quest's) leaves no marker.
 */
export function markFault(
  name: string,
  attributes: Record<string, string | number | boolean> = {},
  span: Span | undefined = trace.getActiveSpan(),
): void {
  if (!span || isHidden(name)) return;
  span.setAttribute('fault.name', name);
  span.addEvent('fault.injected', { 'fault.name': name, ...attributes });
}

/** Does a generic fault aimed at `service` (and maybe a route) hit this request? */
export function targets(params: ParamValues, service: string, method: string, path: string): boolean {
  if (params.service !== service) return false;
  const route = params.route as string | undefined;
  if (!route) return true;
  const [m, p] = route.includes(' ') ? route.split(/\s+/, 2) : [undefined, route];
  return (!m || m.toUpperCase() === method) && (path === p || path.startsWith(p.endsWith('/') ? p : `${p}/`) || path === p);
}

/** What a service asks at its injection points. Evaluations go through OpenFeature. */
export class Faults {
  constructor(
    readonly service: ServiceName,
    private readonly client: Client | undefined,
    private readonly store: FaultStore,
  ) {}

  async get(name: string): Promise<ParamValues | undefined> {
    // Most requests meet no fault: the snapshot answers without an evaluation. One that is on goes
    // through OpenFeature, whose hook records the evaluation on the span.
    if (!this.store.isOn(name)) return undefined;
    if (!this.client) return this.store.get(name);
    const details = await this.client.getObjectDetails(name, {}, { service: this.service });
    return details.variant === 'on' ? (details.value as ParamValues) : undefined;
  }

  /** The hop `this.service->to` has lost its context. */
  async dropsContextTo(to: string): Promise<boolean> {
    return (await this.get('broken_propagation'))?.hop === `${this.service}->${to}`;
  }

  /** Which flags file this process has loaded (flagsVersion): /healthz says it. */
  get version(): string {
    return this.store.version;
  }

  close(): void {
    this.store.stop();
  }

  /** Faults for a service: the flags file (watched) and the faults set at start-up, from its config. */
  static async start(service: ServiceName, config: { FAULTS_FILE?: string; FAULTS?: string }): Promise<Faults> {
    const store = new FaultStore(config.FAULTS_FILE, config.FAULTS).start();
    return new Faults(service, await openFeatureClient(store, service), store);
  }

  /** Faults from fixed values, for component tests. */
  static fixed(service: ServiceName, faults: string): Faults {
    return new Faults(service, undefined, new FaultStore(undefined, faults));
  }
}
