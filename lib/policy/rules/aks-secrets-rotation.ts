import { UNKNOWN, block, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-018: Key Vault secrets mounted in pods follow rotations. */
export const aksSecretsRotation: IPolicyRule = {
  id: 'AGM-AZ-018',
  description: 'AKS clusters enable the Key Vault Secrets Store CSI driver with secret rotation.',
  fix: 'Add key_vault_secrets_provider { secret_rotation_enabled = true, secret_rotation_interval = "2m" }.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_172'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const provider = block(config, 'key_vault_secrets_provider');
    if (!provider) return RuleResult.NON_COMPLIANT;
    const rotation = flag(provider, 'secret_rotation_enabled');
    if (rotation === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return rotation === true ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
