import { UNKNOWN, block, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-013: Kubernetes RBAC is on and integrated with Microsoft Entra ID. */
export const aksEntraRbac: IPolicyRule = {
  id: 'AGM-AZ-013',
  description: 'AKS clusters keep Kubernetes RBAC enabled and integrate it with Microsoft Entra ID (azure_active_directory_role_based_access_control).',
  fix: 'Leave role_based_access_control_enabled at true and add azure_active_directory_role_based_access_control { azure_rbac_enabled = true, tenant_id = ... }.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_5', 'AVD-AZU-0042'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const rbac = flag(config, 'role_based_access_control_enabled');
    if (rbac === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    if (rbac === false) return RuleResult.NON_COMPLIANT;
    return block(config, 'azure_active_directory_role_based_access_control') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
