export * from './tiered-network';
