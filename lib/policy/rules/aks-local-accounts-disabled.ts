import { UNKNOWN, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-012: no static admin kubeconfig exists. */
export const aksLocalAccountsDisabled: IPolicyRule = {
  id: 'AGM-AZ-012',
  description: 'AKS clusters disable local accounts, so every access goes through Microsoft Entra ID and no static admin credential exists.',
  fix: 'Set local_account_disabled = true together with azure_active_directory_role_based_access_control { azure_rbac_enabled = true }; authenticate with kubelogin.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_141'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const disabled = flag(config, 'local_account_disabled');
    if (disabled === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return disabled === true ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
