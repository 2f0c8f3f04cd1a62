import {
  type Client,
  type EvaluationDetails,
  type FlagValue,
  type Hook,
  type HookContext,
  type JsonValue,
  OpenFeature,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  type ResolutionDetails,
} from '@openfeature/server-sdk';
import { trace } from '@opentelemetry/api';
import { isHidden } from './hidden';
import type { FaultStore } from './store';

/**
 * An OpenFeature provider over the flagd-format flags file. (The flagd provider's file mode polls
 * every 5 s, too slow for faults a learner expects at once; FaultStore watches the file's folder.)
 */
export class FaultFlagsProvider implements Provider {
  readonly metadata = { name: 'tracequest-flags-file' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();

  constructor(private readonly store: FaultStore) {
    store.onChange(() => this.events.emit(ProviderEvents.ConfigurationChanged));
  }

  private resolve<T extends FlagValue>(flagKey: string, defaultValue: T, value: (on: JsonValue) => T): ResolutionDetails<T> {
    const params = this.store.get(flagKey);
    if (!params) return { value: defaultValue, variant: 'off', reason: 'STATIC' };
    return { value: value(params as JsonValue), variant: 'on', reason: 'STATIC' };
  }

  resolveObjectEvaluation<T extends JsonValue>(flagKey: string, defaultValue: T): Promise<ResolutionDetails<T>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, (on) => on as T));
  }
  resolveBooleanEvaluation(flagKey: string, defaultValue: boolean): Promise<ResolutionDetails<boolean>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, () => true));
  }
  resolveStringEvaluation(flagKey: string, defaultValue: string): Promise<ResolutionDetails<string>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, () => 'on'));
  }
  resolveNumberEvaluation(flagKey: string, defaultValue: number): Promise<ResolutionDetails<number>> {
    return Promise.resolve(this.resolve(flagKey, defaultValue, () => 1));
  }
}

/**
 * Records a flag evaluation that turned a fault on as a `feature_flag.evaluation` span event
 * (OpenTelemetry semantic conventions). Evaluations that stay off are not recorded: every request
 * evaluates a few flags, and events for nothing would bury the ones that matter.
 */
export class FlagEvaluationSpanHook implements Hook {
  after(ctx: HookContext, details: EvaluationDetails<FlagValue>): void {
    if (details.variant !== 'on' || isHidden(ctx.flagKey)) return;
    trace.getActiveSpan()?.addEvent('feature_flag.evaluation', {
      'feature_flag.key': ctx.flagKey,
      'feature_flag.result.variant': 'on',
      'feature_flag.provider.name': ctx.providerMetadata.name,
    });
  }
}

export async function openFeatureClient(store: FaultStore, service: string): Promise<Client> {
  await OpenFeature.setProviderAndWait(new FaultFlagsProvider(store));
  OpenFeature.addHooks(new FlagEvaluationSpanHook());
  return OpenFeature.getClient(service);
}
