import { nodePoolOf, NODE_POOL_TYPES } from '../private/aks';
import { UNKNOWN, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-023: temp disks, caches and disk traffic of the nodes are encrypted. */
export const aksHostEncryption: IPolicyRule = {
  id: 'AGM-AZ-023',
  description: 'AKS node pools enable encryption at host, which encrypts temp disks, disk caches and the data flowing between nodes and storage.',
  fix: 'Set host_encryption_enabled = true on default_node_pool and every azurerm_kubernetes_cluster_node_pool (register the EncryptionAtHost feature on the subscription first).',
  level: RuleLevel.WARNING,
  scannerChecks: ['CKV_AZURE_227'],
  resourceTypes: NODE_POOL_TYPES,
  evaluate(config, context) {
    const pool = nodePoolOf(context.resource.type, config);
    if (!pool) return RuleResult.NOT_APPLICABLE;
    const enabled = flag(pool, 'host_encryption_enabled');
    if (enabled === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return enabled === true ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
