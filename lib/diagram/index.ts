export * from './model';
export { TopologyDiagram, TopologyDiagramFiles, writeTopologyDiagrams } from './topology-diagram';
export { buildTopologyModel } from './build-model';
export { renderSvg } from './svg';
export { renderDrawio } from './drawio';
