export * from './types';
export * from './suppressions';
export * from './checks';
export { ruleCatalog, renderRuleTable } from './catalog';
export * from './reachability';
