import { WORKLOAD_TYPES } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { judgeContainers } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-006: every container declares what it needs and what it may use. */
export const k8sResources: IPolicyRule = {
  id: 'AGM-K8S-006',
  description: 'Containers set CPU and memory requests and CPU and memory limits.',
  fix: 'Set resources.requests { cpu, memory } and resources.limits { cpu, memory } on every container (typed resources: resources { requests = {...}, limits = {...} }).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_10', 'CKV_K8S_11', 'CKV_K8S_12', 'CKV_K8S_13', 'KSV011', 'KSV015', 'KSV016', 'KSV018', 'kube-score container-resources'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    return judgeContainers(config, context, (c) => {
      if (c.requests === UNKNOWN || c.limits === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      const set = (m: { [key: string]: string }, k: string) => typeof m[k] === 'string' && m[k] !== '';
      return set(c.requests, 'cpu') && set(c.requests, 'memory') && set(c.limits, 'cpu') && set(c.limits, 'memory')
        ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    });
  },
};
