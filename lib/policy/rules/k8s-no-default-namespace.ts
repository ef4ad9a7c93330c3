import { CLUSTER_SCOPED_KINDS, SERVICE_TYPES, WORKLOAD_TYPES, kindOf, manifestOf, serviceOf, workloadOf } from '../private/k8s';
import { UNKNOWN, block, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-K8S-011: nothing is deployed to the `default` namespace. */
export const k8sNoDefaultNamespace: IPolicyRule = {
  id: 'AGM-K8S-011',
  description: 'Workloads, Services and other namespaced objects are not in the default namespace (an object without a namespace lands there).',
  fix: 'Set metadata.namespace to a dedicated namespace for the application (MeshService takes one).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_K8S_21', 'KSV110'],
  resourceTypes: [...new Set([...WORKLOAD_TYPES, ...SERVICE_TYPES])],
  evaluate(config, context) {
    const type = context.resource.type;
    let namespace: string | typeof UNKNOWN | undefined = workloadOf(type, config)?.namespace ?? serviceOf(type, config)?.namespace;
    if (namespace === undefined && type === 'kubernetes_manifest') {
      const manifest = manifestOf(context.resource);
      const kind = kindOf(manifest);
      if (!kind || CLUSTER_SCOPED_KINDS.has(kind.kind)) return RuleResult.NOT_APPLICABLE;
      const ns = text(block(manifest, 'metadata'), 'namespace');
      namespace = ns === undefined || ns === '' ? 'default' : ns;
    }
    if (namespace === undefined || namespace === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return namespace === 'default' ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
  },
};
