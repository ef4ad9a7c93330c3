export * from './options';
export * from './mesh-cluster';
export * from './mesh-connection';
export * from './stack-guard';
export * from './imported-mesh';
