export * from './health.ts';
export * from './envelopes.ts';
export * from './trust.ts';
