export * from './folds.js';
export * from './metrics.js';
export * from './random.js';
export * from './protocol.js';
export * from './group-protocol.js';
export * from './group-metrics.js';
export * from './group-sampling.js';
export * from './group-choice.js';
export type { CalibrationReport } from './calibration-fit.js';
