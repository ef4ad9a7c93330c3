import { nodePoolOf, NODE_POOL_TYPES } from '../private/aks';
import { UNKNOWN, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-020: nodes are not reachable from the Internet. */
export const aksNoNodePublicIp: IPolicyRule = {
  id: 'AGM-AZ-020',
  description: 'AKS nodes have no public IP addresses (node_public_ip_enabled is not true on any node pool).',
  fix: 'Remove node_public_ip_enabled (or set it to false) on default_node_pool and on every azurerm_kubernetes_cluster_node_pool.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_143'],
  resourceTypes: NODE_POOL_TYPES,
  evaluate(config, context) {
    const pool = nodePoolOf(context.resource.type, config);
    if (!pool) return RuleResult.NOT_APPLICABLE;
    const publicIp = flag(pool, 'node_public_ip_enabled');
    if (publicIp === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return publicIp === true ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
  },
};
