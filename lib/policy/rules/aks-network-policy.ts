import { UNKNOWN, block, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-015: Kubernetes NetworkPolicies are enforced. */
export const aksNetworkPolicy: IPolicyRule = {
  id: 'AGM-AZ-015',
  description: 'AKS clusters run a network policy engine (azure, calico or cilium), so Kubernetes NetworkPolicies are enforced.',
  fix: 'Set network_profile { network_policy = "cilium" } (with network_data_plane = "cilium") or "azure" / "calico".',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_7', 'AVD-AZU-0043'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const policy = text(block(config, 'network_profile'), 'network_policy');
    if (policy === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return equalsAny(policy, 'azure', 'calico', 'cilium') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
