import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { judgeContainers, when } from '../private/verdicts';
import { IPolicyRule, RuleLevel } from '../types';

/** AGM-K8S-003: no process gains more privileges than its parent (setuid binaries, ...). */
export const k8sNoPrivilegeEscalation: IPolicyRule = {
  id: 'AGM-K8S-003',
  description: 'Containers set allowPrivilegeEscalation = false.',
  fix: 'Set securityContext.allowPrivilegeEscalation = false on every container (typed resources: allow_privilege_escalation = false).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_20', 'KSV001'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c) => when(c.allowPrivilegeEscalation === UNKNOWN ? UNKNOWN : c.allowPrivilegeEscalation === false));
  },
};
