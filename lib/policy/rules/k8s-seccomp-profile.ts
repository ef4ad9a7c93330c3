import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN, equalsAny } from '../private/values';
import { effective, judgeContainers } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-005: system calls are filtered by the runtime's default seccomp profile. */
export const k8sSeccompProfile: IPolicyRule = {
  id: 'AGM-K8S-005',
  description: 'Pods or containers set a seccomp profile of type RuntimeDefault (or Localhost).',
  fix: 'Set the pod\'s securityContext.seccompProfile.type = "RuntimeDefault" (typed resources: security_context { seccomp_profile { type = "RuntimeDefault" } }).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_31', 'KSV030', 'kube-score container-seccomp-profile'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c, pod) => {
      const type = effective(c.seccompType, pod.seccompType);
      if (type === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      return equalsAny(type, 'RuntimeDefault', 'Localhost') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    });
  },
};
