import { UNKNOWN, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-014: Azure Policy (Gatekeeper) enforces guardrails in the cluster. */
export const aksAzurePolicy: IPolicyRule = {
  id: 'AGM-AZ-014',
  description: 'AKS clusters enable the Azure Policy add-on, which enforces policy on every object admitted to the cluster.',
  fix: 'Set azure_policy_enabled = true.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_116', 'AVD-AZU-0066'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const enabled = flag(config, 'azure_policy_enabled');
    if (enabled === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return enabled === true ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
