export * from './alerts';
export * from './prometheus';
export * from './mesh-telemetry';
export * from './monitoring';
