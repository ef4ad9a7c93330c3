import { WORKLOAD_TYPES, workloadOf } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-013: pods do not share the node's network, process or IPC namespaces. */
export const k8sNoHostNamespaces: IPolicyRule = {
  id: 'AGM-K8S-013',
  description: 'Pods do not use the host\'s network, PID or IPC namespace (hostNetwork, hostPID, hostIPC).',
  fix: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (typed resources: host_network, host_pid, host_ipc).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19', 'KSV008', 'KSV009', 'KSV010'],
  resourceTypes: WORKLOAD_TYPES,
  evaluate(config, context) {
    const workload = workloadOf(context.resource.type, config);
    if (!workload) return RuleResult.NOT_APPLICABLE;
    const values = [workload.pod.hostNetwork, workload.pod.hostPID, workload.pod.hostIPC];
    if (values.includes(true)) return RuleResult.NON_COMPLIANT;
    return values.includes(UNKNOWN) ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
