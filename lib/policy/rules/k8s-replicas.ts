import { WorkloadView, autoscalerMinimums, workloadOf, WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN, Unknown } from '../private/values';
import { IPolicyContext, IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Replicas a Deployment or StatefulSet runs at least: its autoscaler's minimum, else spec.replicas (default 1). */
export function minimumReplicas(workload: WorkloadView, context: IPolicyContext): number | Unknown {
  if (typeof workload.namespace === 'string' && typeof workload.name === 'string') {
    const min = autoscalerMinimums(context).get(`${workload.namespace}/${workload.kind}/${workload.name}`);
    if (min !== undefined) return min;
  }
  return workload.replicas ?? 1;
}

/** AGM-K8S-009: a workload survives the loss of one pod. */
export const k8sReplicas: IPolicyRule = {
  id: 'AGM-K8S-009',
  description: 'Deployments and StatefulSets run at least 2 replicas (spec.replicas, or the minReplicas of their HorizontalPodAutoscaler).',
  fix: 'Set replicas (or the autoscaler\'s min_replicas) to 2 or more, and spread the pods across zones.',
  level: RuleLevel.WARNING,
  scannerChecks: ['kube-score deployment-replicas'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    const workload = workloadOf(context.resource.type, config);
    if (!workload || (workload.kind !== 'Deployment' && workload.kind !== 'StatefulSet')) return RuleResult.NOT_APPLICABLE;
    const replicas = minimumReplicas(workload, context);
    if (replicas === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return replicas >= 2 ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
