import { UNKNOWN, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-017: pods reach Azure with federated workload identities, not stored secrets. */
export const aksWorkloadIdentity: IPolicyRule = {
  id: 'AGM-AZ-017',
  description: 'AKS clusters enable the OIDC issuer and Microsoft Entra Workload ID, so pods authenticate to Azure without stored credentials.',
  fix: 'Set oidc_issuer_enabled = true and workload_identity_enabled = true; federate a user-assigned identity with each service account.',
  level: RuleLevel.ERROR,
  scannerChecks: ['AKS guidance: use Microsoft Entra Workload ID (learn.microsoft.com/azure/aks/workload-identity-overview)'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const values = [flag(config, 'oidc_issuer_enabled'), flag(config, 'workload_identity_enabled')];
    if (values.includes(UNKNOWN)) return RuleResult.NOT_APPLICABLE;
    return values.every((v) => v === true) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
