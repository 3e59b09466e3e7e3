export * from './health.ts';
export * from './envelopes.ts';
