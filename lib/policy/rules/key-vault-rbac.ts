import { UNKNOWN, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-009: Key Vault data-plane access is granted with Azure RBAC, not access policies. */
export const keyVaultRbac: IPolicyRule = {
  id: 'AGM-AZ-009',
  description: 'Key Vaults use the Azure RBAC permission model instead of vault access policies.',
  fix: 'Set rbac_authorization_enabled = true (enable_rbac_authorization before azurerm 4.x) and grant roles such as "Key Vault Secrets User" with azurerm_role_assignment.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure Policy 12d4fa5e-1f9f-4c21-97a9-b99b3c6611b5 (Key Vault should use RBAC permission model)'],
  resourceTypes: ['azurerm_key_vault'],
  evaluate(config) {
    const values = [flag(config, 'rbac_authorization_enabled'), flag(config, 'enable_rbac_authorization')];
    if (values.includes(true)) return RuleResult.COMPLIANT;
    if (values.includes(UNKNOWN)) return RuleResult.NOT_APPLICABLE;
    return RuleResult.NON_COMPLIANT;
  },
};
