import { UNKNOWN, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-022: the control plane has an uptime SLA. */
export const aksStandardTier: IPolicyRule = {
  id: 'AGM-AZ-022',
  description: 'AKS clusters use the Standard (or Premium) tier, which gives the API server an uptime SLA and scales it for production.',
  fix: 'Set sku_tier = "Standard".',
  level: RuleLevel.WARNING,
  scannerChecks: ['CKV_AZURE_170'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const tier = text(config, 'sku_tier');
    if (tier === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    // "Paid" is the tier's name before azurerm 3.51.
    return equalsAny(tier, 'Standard', 'Premium', 'Paid') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
