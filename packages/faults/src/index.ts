export { renderFaultsDoc } from './docs';
export { FLAGD_SCHEMA, flagsVersion, readFlags, readFlagsText, writeFlags } from './flags-file';
export { isHidden } from './hidden';
export { Faults, markFault, roll, sleep, targets } from './inject';
export { FaultFlagsProvider, FlagEvaluationSpanHook } from './openfeature';
export { coerce, describeParam, type Param, type ParamSpec, type ParamValues, REVEAL, schemaOf } from './params';
export { FAULTS, type FaultDef, findFault, HOPS, LEAKY_NOTES, leakyNote, SERVICES, type ServiceName } from './registry';
export { findScenario, pick, SCENARIOS, type Scenario } from './scenarios';
export { FaultInputError, FaultStore, parseFaultsEnv, validate } from './store';
