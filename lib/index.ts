export * from './core';
export * from './network';
export * from './secure-edge';
export * from './api-governance';
export * from './mesh-cluster';
export * from './mesh-service';
export * from './diagram';
export * from './policy';
