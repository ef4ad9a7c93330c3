import { UNKNOWN, block, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-010: the Key Vault firewall denies by default. */
export const keyVaultNetworkDeny: IPolicyRule = {
  id: 'AGM-AZ-010',
  description: 'Key Vaults have a network ACL that denies by default (network_acls.default_action = "Deny").',
  fix: 'Add network_acls { default_action = "Deny", bypass = "AzureServices" } and allow the subnets or IP ranges that need the vault (or use a private endpoint).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_109', 'AVD-AZU-0013'],
  resourceTypes: ['azurerm_key_vault'],
  evaluate(config) {
    const action = text(block(config, 'network_acls'), 'default_action');
    if (action === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return equalsAny(action, 'Deny') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
