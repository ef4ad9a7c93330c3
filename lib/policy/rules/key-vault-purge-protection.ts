import { UNKNOWN, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-008: deleted secrets and certificates can be recovered. */
export const keyVaultPurgeProtection: IPolicyRule = {
  id: 'AGM-AZ-008',
  description: 'Key Vaults have purge protection enabled, so deleted keys, secrets and certificates stay recoverable for the retention period.',
  fix: 'Set purge_protection_enabled = true (and soft_delete_retention_days between 7 and 90).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_110', 'CKV_AZURE_42', 'AVD-AZU-0016'],
  resourceTypes: ['azurerm_key_vault'],
  evaluate(config) {
    const enabled = flag(config, 'purge_protection_enabled');
    if (enabled === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return enabled === true ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
