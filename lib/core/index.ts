export * from './contracts';
export * from './errors';
