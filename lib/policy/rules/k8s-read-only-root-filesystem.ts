import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { judgeContainers, when } from '../private/verdicts';
import { IPolicyRule, RuleLevel } from '../types';

/** AGM-K8S-002: an attacker cannot write binaries into a container. */
export const k8sReadOnlyRootFilesystem: IPolicyRule = {
  id: 'AGM-K8S-002',
  description: 'Containers have a read-only root file system (securityContext.readOnlyRootFilesystem = true).',
  fix: 'Set securityContext.readOnlyRootFilesystem = true and mount an emptyDir where the process must write (e.g. /tmp).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_22', 'KSV014', 'kube-score container-security-context-readonlyrootfilesystem'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c) => when(c.readOnlyRootFilesystem === UNKNOWN ? UNKNOWN : c.readOnlyRootFilesystem === true));
  },
};
