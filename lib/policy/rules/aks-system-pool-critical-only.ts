import { UNKNOWN, block, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-024: application pods cannot starve or evict system pods. */
export const aksSystemPoolCriticalOnly: IPolicyRule = {
  id: 'AGM-AZ-024',
  description: 'The AKS system (default) node pool runs critical add-ons only; workloads run on separate user node pools.',
  fix: 'Set default_node_pool { only_critical_addons_enabled = true } and add an azurerm_kubernetes_cluster_node_pool (mode "User") for workloads.',
  level: RuleLevel.WARNING,
  scannerChecks: ['CKV_AZURE_232'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const only = flag(block(config, 'default_node_pool'), 'only_critical_addons_enabled');
    if (only === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return only === true ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
