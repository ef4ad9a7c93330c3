import { WORKLOAD_TYPES, workloadOf } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-014: a compromised pod holds no Kubernetes API token it does not need. */
export const k8sNoServiceAccountToken: IPolicyRule = {
  id: 'AGM-K8S-014',
  description: 'Pods do not automount a Kubernetes API service account token (automountServiceAccountToken = false); Istio and Workload ID use their own projected tokens.',
  fix: 'Set automountServiceAccountToken = false in the pod spec (typed resources: automount_service_account_token = false); mount a projected token only where a pod calls the Kubernetes API.',
  level: RuleLevel.WARNING,
  scannerChecks: ['CKV_K8S_38', 'KSV036'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    const workload = workloadOf(context.resource.type, config);
    if (!workload) return RuleResult.NOT_APPLICABLE;
    const automount = workload.pod.automountServiceAccountToken;
    if (automount === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return automount === false ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
