export * from './model';
export * from './topology-diagram';
export { buildTopologyModel } from './build-model';
export { renderSvg } from './svg';
export { renderDrawio } from './drawio';
