import { IPolicyContext, PolicyResource } from '../types';
import { Json, UNKNOWN, block, text } from './values';

/** A cluster's default node pool, or a separate node pool resource. */
export const NODE_POOL_TYPES = ['azurerm_kubernetes_cluster', 'azurerm_kubernetes_cluster_node_pool'];

/** The node pool settings a resource defines: the cluster's `default_node_pool`, or the node pool resource itself. */
export function nodePoolOf(type: string, config: Json): Json | undefined {
  return type === 'azurerm_kubernetes_cluster' ? block(config, 'default_node_pool') : config;
}

/** The cluster a node pool belongs to, when it is in the app. */
export function clusterOfNodePool(context: IPolicyContext, config: Json): PolicyResource | undefined {
  const id = config.kubernetes_cluster_id;
  return typeof id === 'string' ? context.findReferenced(id) : undefined;
}

/** True when the cluster runs the managed Istio add-on. */
export function hasIstioAddon(cluster: Json): boolean {
  const profile = block(cluster, 'service_mesh_profile');
  const mode = text(profile, 'mode');
  return profile !== undefined && mode !== UNKNOWN && (mode ?? 'Istio').toLowerCase() === 'istio';
}
