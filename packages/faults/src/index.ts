export { FAULTS, SERVICES, HOPS, findFault, type FaultDef, type ServiceName } from './registry';
export { SCENARIOS, findScenario, pick, type Scenario } from './scenarios';
export { schemaOf, coerce, describeParam, type Param, type ParamSpec, type ParamValues } from './params';
export { FaultStore, FaultInputError, validate, parseFaultsEnv } from './store';
export { FaultFlagsProvider, FlagEvaluationSpanHook } from './openfeature';
export { Faults, markFault, targets, sleep, roll } from './inject';
export { readFlags, writeFlags, FLAGD_SCHEMA } from './flags-file';
export { renderFaultsDoc } from './docs';
