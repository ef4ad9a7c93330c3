import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { judgeContainers } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-012: no container has the host's full privileges. */
export const k8sNoPrivileged: IPolicyRule = {
  id: 'AGM-K8S-012',
  description: 'No container runs privileged (securityContext.privileged = true gives it every capability and the host\'s devices).',
  fix: 'Remove securityContext.privileged (or set it to false); grant the single capability the process needs instead.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_16', 'KSV017', 'kube-score container-security-context-privileged'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c) => {
      if (c.privileged === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      return c.privileged === true ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
    });
  },
};
