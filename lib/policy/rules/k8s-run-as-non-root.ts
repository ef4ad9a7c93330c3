import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { effective, judgeContainers } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-001: containers never run as root. */
export const k8sRunAsNonRoot: IPolicyRule = {
  id: 'AGM-K8S-001',
  description: 'Containers run as a non-root user: runAsNonRoot = true (pod or container security context) and no runAsUser 0.',
  fix: 'Set securityContext.runAsNonRoot = true and a runAsUser above 10000 (typed resources: security_context { run_as_non_root = true, run_as_user = "10001" }); build images with a non-root USER.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_23', 'KSV012', 'kube-score container-security-context-user-group-id'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c, pod) => {
      const nonRoot = effective(c.runAsNonRoot, pod.runAsNonRoot);
      const user = effective(c.runAsUser, pod.runAsUser);
      if (user === 0) return RuleResult.NON_COMPLIANT;
      if (nonRoot === true || (typeof user === 'number' && user > 0)) return RuleResult.COMPLIANT;
      if (nonRoot === UNKNOWN || user === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      return RuleResult.NON_COMPLIANT;
    });
  },
};
