export * from './api-governance';
export * from './api';
export * from './backend';
export * from './named-value';
export * from './policy';
export * from './product';
export * from './service';
export * from './sku';
