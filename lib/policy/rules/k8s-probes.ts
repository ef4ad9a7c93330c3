import { WORKLOAD_TYPES } from '../private/k8s';
import { judgeContainers } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-007: Kubernetes knows when a container is alive and when it can take traffic. */
export const k8sProbes: IPolicyRule = {
  id: 'AGM-K8S-007',
  description: 'Containers of long-running workloads define liveness and readiness probes.',
  fix: 'Add livenessProbe and readinessProbe (e.g. httpGet on a health endpoint) to every container; make them differ so a slow dependency does not restart the pod.',
  level: RuleLevel.WARNING,
  scannerChecks: ['CKV_K8S_8', 'CKV_K8S_9', 'kube-score pod-probes'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c, _pod, workload) => {
      if (workload.kind === 'Job' || workload.kind === 'CronJob') return RuleResult.NOT_APPLICABLE;
      return c.hasLivenessProbe && c.hasReadinessProbe ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    }, false);
  },
};
