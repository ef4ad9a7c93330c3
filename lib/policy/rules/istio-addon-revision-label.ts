import { hasIstioAddon } from '../private/aks';
import { derive } from '../private/context';
import { NAMESPACE_TYPES, namespaceResourceOf } from '../private/k8s';
import { UNKNOWN } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-JT-006: with the AKS add-on, namespaces opt into injection by revision, or get no sidecars (and no mTLS). */
export const istioAddonRevisionLabel: IPolicyRule = {
  id: 'AGM-JT-006',
  description: 'When the app runs the AKS Istio add-on, namespaces opt into sidecar injection with istio.io/rev=<revision>, not istio-injection=enabled, which the add-on ignores (and which overrides istio.io/rev).',
  fix: 'Label the namespace istio.io/rev = "asm-1-NN" (the add-on revision) and remove the istio-injection label (MeshCluster exposes the labels as IMesh.injectionLabels).',
  level: RuleLevel.ERROR,
  scannerChecks: ['AKS docs: Istio add-on sidecar injection uses the revision label (learn.microsoft.com/azure/aks/istio-deploy-addon)'],
  resourceTypes: [...NAMESPACE_TYPES, 'kubernetes_manifest'],
  evaluate(config, context) {
    const ns = namespaceResourceOf(context.resource.type, config);
    if (!ns || ns.labels === UNKNOWN || !('istio-injection' in ns.labels)) return RuleResult.NOT_APPLICABLE;
    const addon = derive(context, 'aks:istio-addon', (ctx) => ctx.resourcesOfType('azurerm_kubernetes_cluster').some((c) => hasIstioAddon(c.config)));
    if (!addon) return RuleResult.NOT_APPLICABLE;
    return ns.labels['istio-injection'] === 'enabled' ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
  },
};
