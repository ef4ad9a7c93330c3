import { UNKNOWN, block, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-027: API Management reads Key Vault and calls Azure with a managed identity. */
export const apimManagedIdentity: IPolicyRule = {
  id: 'AGM-AZ-027',
  description: 'API Management has a managed identity (system- or user-assigned) to read Key Vault secrets and certificates without stored credentials.',
  fix: 'Add identity { type = "SystemAssigned" } (or "UserAssigned" with identity_ids) and grant it "Key Vault Secrets User" on the vault.',
  level: RuleLevel.WARNING,
  scannerChecks: ['Azure security baseline for API Management: IM-3 (use managed identities)'],
  resourceTypes: ['azurerm_api_management'],
  evaluate(config) {
    const type = text(block(config, 'identity'), 'type');
    if (type === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return type !== undefined && /assigned/i.test(type) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
