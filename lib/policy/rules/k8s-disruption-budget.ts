import { minimumReplicas } from './k8s-replicas';
import { disruptionBudgets, selectorMatches, workloadOf, WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-010: node drains and upgrades keep enough replicas running. */
export const k8sDisruptionBudget: IPolicyRule = {
  id: 'AGM-K8S-010',
  description: 'Deployments and StatefulSets with 2 or more replicas have a PodDisruptionBudget in their namespace whose selector matches their pods.',
  fix: 'Add a PodDisruptionBudget (kubernetes_pod_disruption_budget_v1) with max_unavailable = 1 and a selector matching the pod labels (MeshService creates one).',
  level: RuleLevel.WARNING,
  scannerChecks: ['kube-score deployment-has-poddisruptionbudget'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    const workload = workloadOf(context.resource.type, config);
    if (!workload || (workload.kind !== 'Deployment' && workload.kind !== 'StatefulSet')) return RuleResult.NOT_APPLICABLE;
    const replicas = minimumReplicas(workload, context);
    // A single replica cannot be protected by a budget; AGM-K8S-009 reports it.
    if (replicas === UNKNOWN || replicas < 2) return RuleResult.NOT_APPLICABLE;
    const labels = workload.pod.labels;
    if (labels === UNKNOWN || workload.namespace === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    let unknown = false;
    for (const pdb of disruptionBudgets(context)) {
      if (pdb.namespace === UNKNOWN || pdb.matchLabels === UNKNOWN) { unknown = true; continue; }
      if (pdb.namespace === workload.namespace && selectorMatches(pdb.matchLabels, labels)) return RuleResult.COMPLIANT;
    }
    return unknown ? RuleResult.NOT_APPLICABLE : RuleResult.NON_COMPLIANT;
  },
};
