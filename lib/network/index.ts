export * from './tiered-network';
export * from './imported-network';
