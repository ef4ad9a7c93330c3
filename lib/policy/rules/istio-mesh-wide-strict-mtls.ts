import { hasIstioAddon } from '../private/aks';
import { ROOT_NAMESPACES, istioObjects, targetsWorkloads } from '../private/istio';
import { UNKNOWN, block, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** True for a helm_release of Istio's control plane chart. */
export function isIstiodRelease(config: { [key: string]: any }): boolean {
  const chart = text(config, 'chart');
  return typeof chart === 'string' && /(^|\/)istiod(-\d[\w.+-]*\.tgz)?$/.test(chart);
}

/** AGM-IS-001: plaintext traffic between sidecars is refused everywhere in the mesh. */
export const istioMeshWideStrictMtls: IPolicyRule = {
  id: 'AGM-IS-001',
  description: 'A mesh with an Istio control plane has a mesh-wide PeerAuthentication in the root namespace (no selector) with mtls.mode STRICT; Istio accepts plaintext (PERMISSIVE) by default.',
  fix: 'Create a PeerAuthentication named "default" in aks-istio-system (add-on) or istio-system (Helm) with spec { mtls { mode: STRICT } } (MeshCluster\'s in-cluster stack does this).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Istio security best practices: mutual TLS in STRICT mode (istio.io/latest/docs/ops/best-practices/security/#mutual-tls)'],
  resourceTypes: ['azurerm_kubernetes_cluster', 'helm_release'],
  evaluate(config, context) {
    let roots: string[];
    if (context.resource.type === 'azurerm_kubernetes_cluster') {
      if (!hasIstioAddon(config)) return RuleResult.NOT_APPLICABLE;
      roots = ['aks-istio-system'];
    } else {
      if (!isIstiodRelease(config)) return RuleResult.NOT_APPLICABLE;
      const ns = text(config, 'namespace');
      if (ns === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      roots = [ns ?? 'default', ...ROOT_NAMESPACES.filter((r) => r === 'istio-system')];
    }
    let unknown = false;
    for (const pa of istioObjects(context, 'PeerAuthentication')) {
      if (pa.namespace === UNKNOWN) { unknown = true; continue; }
      if (!roots.includes(pa.namespace) || targetsWorkloads(pa.spec)) continue;
      const mode = text(block(pa.spec, 'mtls'), 'mode');
      if (mode === UNKNOWN) { unknown = true; continue; }
      if (mode === 'STRICT') return RuleResult.COMPLIANT;
    }
    return unknown ? RuleResult.NOT_APPLICABLE : RuleResult.NON_COMPLIANT;
  },
};
