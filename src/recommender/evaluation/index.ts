export * from './folds.js';
export * from './metrics.js';
export * from './random.js';
export * from './protocol.js';
export * from './stand-in.js';
