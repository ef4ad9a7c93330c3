export * from './secure-edge';
export * from './tls';
export * from './waf';
