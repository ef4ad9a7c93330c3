import { clusterOfNodePool, nodePoolOf, NODE_POOL_TYPES } from '../private/aks';
import { Json, UNKNOWN, block, equalsAny, num, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Without max_pods, AKS allows 250 pods per node with Azure CNI Overlay and 30 with node-subnet Azure CNI. */
function overlay(cluster: Json): boolean | typeof UNKNOWN {
  const profile = block(cluster, 'network_profile');
  const mode = text(profile, 'network_plugin_mode');
  const plugin = text(profile, 'network_plugin');
  if (mode === UNKNOWN || plugin === UNKNOWN) return UNKNOWN;
  return equalsAny(plugin, 'azure') && equalsAny(mode, 'overlay');
}

/** AGM-AZ-019: nodes take enough pods for sidecars, daemonsets and workloads. */
export const aksMaxPods: IPolicyRule = {
  id: 'AGM-AZ-019',
  description: 'AKS node pools allow at least 50 pods per node (max_pods), the minimum Azure recommends.',
  fix: 'Set max_pods = 50 or more on default_node_pool and on each azurerm_kubernetes_cluster_node_pool (Azure CNI Overlay defaults to 250).',
  level: RuleLevel.WARNING,
  scannerChecks: ['CKV_AZURE_168'],
  resourceTypes: NODE_POOL_TYPES,
  evaluate(config, context) {
    const pool = nodePoolOf(context.resource.type, config);
    if (!pool) return RuleResult.NOT_APPLICABLE;
    const maxPods = num(pool, 'max_pods');
    if (maxPods === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    if (maxPods !== undefined) return maxPods >= 50 ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    const cluster = context.resource.type === 'azurerm_kubernetes_cluster' ? config : clusterOfNodePool(context, config)?.config;
    // A node pool whose cluster is outside the app: its network plugin, hence its default, is unknown.
    if (!cluster) return RuleResult.NOT_APPLICABLE;
    const isOverlay = overlay(cluster);
    if (isOverlay === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return isOverlay ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
