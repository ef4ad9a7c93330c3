import { ROOT_NAMESPACES, allowNothingNamespaces, namespacesWithIstioResources } from '../private/istio';
import { NAMESPACE_TYPES, SYSTEM_NAMESPACES, WORKLOAD_TYPES, declaredNamespaces, hasInjectionLabel, namespaceResourceOf, workloadOf } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-IS-003: in every mesh namespace, what is not explicitly allowed is denied. */
export const istioDefaultDeny: IPolicyRule = {
  id: 'AGM-IS-003',
  description: 'Every namespace in the mesh (injection label, sidecar-injected pods, or Istio resources) has an allow-nothing AuthorizationPolicy (no selector, no rules), or the root namespace has a mesh-wide one.',
  fix: 'Create an AuthorizationPolicy named "allow-nothing" with an empty spec in the namespace, then ALLOW each caller by principal (MeshService does both).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Istio security best practices: default-deny authorization (istio.io/latest/docs/ops/best-practices/security/#use-default-deny-patterns)'],
  resourceTypes: [...NAMESPACE_TYPES, ...WORKLOAD_TYPES],
  evaluate(config, context) {
    const type = context.resource.type;
    let namespace: string | typeof UNKNOWN;
    const declared = namespaceResourceOf(type, config);
    if (declared) {
      // A namespace created in the app carries the finding for all of its workloads.
      if (!hasInjectionLabel(declared.labels)) return RuleResult.NOT_APPLICABLE;
      namespace = declared.name;
    } else {
      const workload = workloadOf(type, config);
      if (!workload || workload.namespace === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      namespace = workload.namespace;
      const ns = declaredNamespaces(context).get(namespace);
      if (ns && hasInjectionLabel(ns.labels)) return RuleResult.NOT_APPLICABLE;
      const labels = workload.pod.labels === UNKNOWN ? {} : workload.pod.labels;
      const annotations = workload.pod.annotations === UNKNOWN ? {} : workload.pod.annotations;
      const injected = labels['sidecar.istio.io/inject'] === 'true' || annotations['sidecar.istio.io/inject'] === 'true'
        || typeof labels['istio.io/rev'] === 'string' || namespacesWithIstioResources(context).has(namespace);
      if (!injected) return RuleResult.NOT_APPLICABLE;
    }
    if (SYSTEM_NAMESPACES.has(namespace)) return RuleResult.NOT_APPLICABLE;
    const denied = allowNothingNamespaces(context);
    return denied.has(namespace) || ROOT_NAMESPACES.some((r) => denied.has(r)) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
