export * from './types';
export * from './mesh-namespace';
export * from './mesh-service';
