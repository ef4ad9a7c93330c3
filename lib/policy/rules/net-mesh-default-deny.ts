import { derive } from '../private/context';
import { NAMESPACE_TYPES, SYSTEM_NAMESPACES, hasInjectionLabel, kindOf, manifestOf, namespaceResourceOf } from '../private/k8s';
import { Json, block, blocks, isAbsent, isObject, strings, text } from '../private/values';
import { IPolicyContext, IPolicyRule, RuleLevel, RuleResult } from '../types';

/** True for a spec that selects every pod of its namespace and admits nothing in or out. */
function isDefaultDeny(spec: Json | undefined, camel: boolean): boolean {
  if (!spec) return false;
  const selector = camel ? spec.podSelector : block(spec, 'pod_selector') ?? spec.pod_selector;
  const empty = (v: unknown) => isAbsent(v) || (Array.isArray(v) ? v.length === 0 : isObject(v) && Object.keys(v).length === 0);
  const selectsAll = isAbsent(selector) ? camel : isObject(selector) || Array.isArray(selector)
    ? Object.values((Array.isArray(selector) ? selector[0] : selector) ?? {}).every(empty)
    : false;
  const types = strings(spec, camel ? 'policyTypes' : 'policy_types');
  if (!Array.isArray(types)) return false;
  const both = ['Ingress', 'Egress'].every((t) => types.includes(t));
  const noRules = (camel ? [spec.ingress, spec.egress] : [blocks(spec, 'ingress'), blocks(spec, 'egress')]).every(empty);
  return selectsAll && both && noRules;
}

/** Namespaces that hold a default-deny NetworkPolicy (ingress and egress). */
function defaultDenyNamespaces(context: IPolicyContext): Set<string> {
  return derive(context, 'net:default-deny', (ctx) => {
    const out = new Set<string>();
    for (const r of [...ctx.resourcesOfType('kubernetes_network_policy_v1'), ...ctx.resourcesOfType('kubernetes_network_policy')]) {
      const namespace = text(block(r.config, 'metadata'), 'namespace');
      if (typeof namespace === 'string' && isDefaultDeny(block(r.config, 'spec'), false)) out.add(namespace);
    }
    for (const r of ctx.resourcesOfType('kubernetes_manifest')) {
      const manifest = manifestOf(r);
      if (kindOf(manifest)?.kind !== 'NetworkPolicy') continue;
      const namespace = text(block(manifest, 'metadata'), 'namespace');
      if (typeof namespace === 'string' && isDefaultDeny(block(manifest, 'spec'), true)) out.add(namespace);
    }
    return out;
  });
}

/** AGM-NET-003: L3/L4 default deny in every mesh namespace, under the L7 one. */
export const netMeshDefaultDeny: IPolicyRule = {
  id: 'AGM-NET-003',
  description: 'Every mesh namespace (injection label) has a default-deny NetworkPolicy: an empty pod selector, policyTypes Ingress and Egress, no rules; a pod that escapes its sidecar is then still held at L3/L4.',
  fix: 'Create a NetworkPolicy with podSelector {} and policyTypes [Ingress, Egress] in the namespace, then allow each caller and destination (MeshNamespace and MeshService.allowFrom do both).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Kubernetes docs: default deny all ingress and all egress traffic (kubernetes.io/docs/concepts/services-networking/network-policies/#default-deny-all-ingress-and-all-egress-traffic)', 'Istio security best practices: traffic capture limitations, NetworkPolicy as defense in depth (istio.io/latest/docs/ops/best-practices/security/)'],
  resourceTypes: [...NAMESPACE_TYPES, 'kubernetes_manifest'],
  evaluate(config, context) {
    const ns = namespaceResourceOf(context.resource.type, config);
    if (!ns || !hasInjectionLabel(ns.labels) || SYSTEM_NAMESPACES.has(ns.name)) return RuleResult.NOT_APPLICABLE;
    return defaultDenyNamespaces(context).has(ns.name) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
