export * from './attribution.js';
export * from './catalog.js';
export * from './client.js';
export * from './errors.js';
export * from './genres.js';
export * from './images.js';
export * from './schemas.js';
export * from './transport.js';
export type * from './types.js';
