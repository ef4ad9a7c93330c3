import { UNKNOWN, block, flag, strings } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

const ANYWHERE = ['0.0.0.0/0', '0.0.0.0', '*', '::/0'];

/** AGM-AZ-011: the Kubernetes API server is not open to the whole Internet. */
export const aksPrivateApiServer: IPolicyRule = {
  id: 'AGM-AZ-011',
  description: 'AKS clusters have a private API server (private_cluster_enabled) or restrict it to authorized IP ranges.',
  fix: 'Set private_cluster_enabled = true, or api_server_access_profile { authorized_ip_ranges = [<your CI and admin ranges>] } (MeshCluster: apiServerAccess).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_115', 'CKV_AZURE_6', 'AVD-AZU-0041', 'AVD-AZU-0065'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config) {
    const privateCluster = flag(config, 'private_cluster_enabled');
    if (privateCluster === true) return RuleResult.COMPLIANT;
    const ranges = strings(block(config, 'api_server_access_profile'), 'authorized_ip_ranges');
    if (privateCluster === UNKNOWN || ranges === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return ranges.length > 0 && !ranges.some((r) => ANYWHERE.includes(r.trim())) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
