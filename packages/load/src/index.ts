export { DEFINITION_FILE, type Definition, loadDefinition } from './definition';
export { durationMs, iterationsOf, knobsOf, type Phase, phasesOf, pickTask, tasksOf, vusOf, weightsOf } from './plan';
export { checkNames, draw, requestOf, runChecks, type SetupData } from './requests';
export { type LoadOptions, runLoad } from './run';
export { type Step, stepsOf } from './steps';
export { formatSummary, type LoadSummary, type RequestResult, type TaskSummary } from './summary';
export { k6Thresholds, percentile, thresholdsOf } from './thresholds';
export { vegetaBinary } from './vegeta';
