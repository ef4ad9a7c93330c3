import { UNKNOWN, block, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-016: pods get VNet-aware networking (Azure CNI, node subnet or overlay). */
export const aksAzureCni: IPolicyRule = {
  id: 'AGM-AZ-016',
  description: 'AKS clusters use Azure CNI networking (network_plugin = "azure", in overlay or node-subnet mode), not kubenet.',
  fix: 'Set network_profile { network_plugin = "azure", network_plugin_mode = "overlay" }.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV2_AZURE_29'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const plugin = text(block(config, 'network_profile'), 'network_plugin');
    if (plugin === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return equalsAny(plugin, 'azure') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
