import { SERVICE_TYPES, serviceOf } from '../private/k8s';
import { Json, UNKNOWN, block, blocks, equalsAny, flag, isObject, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

const INTERNAL_ANNOTATION = 'service.beta.kubernetes.io/azure-load-balancer-internal';

/** True for a helm_release of Istio's gateway chart. */
function isIstioGatewayRelease(config: Json): boolean {
  const chart = text(config, 'chart');
  const repository = text(config, 'repository');
  if (typeof chart !== 'string' || !/(^|\/)gateway(-\d[\w.+-]*\.tgz)?$/.test(chart)) return false;
  return /istio/i.test(typeof repository === 'string' ? repository : chart);
}

/** What the Helm values of an Istio gateway release say about its Service. */
function gatewayService(config: Json): { type: string | undefined; internal: boolean } | typeof UNKNOWN {
  let type: string | undefined;
  let internal = false;
  for (const s of blocks(config, 'set')) {
    const name = text(s, 'name');
    const value = text(s, 'value');
    if (name === UNKNOWN || value === UNKNOWN) return UNKNOWN;
    if (name === 'service.type') type = value;
    if (typeof name === 'string' && name.replace(/\\/g, '') === `service.annotations.${INTERNAL_ANNOTATION}`) internal = value === 'true';
  }
  const values = config.values;
  for (const doc of Array.isArray(values) ? values : []) {
    if (typeof doc !== 'string') continue;
    if (doc.includes('${')) return UNKNOWN;
    let parsed: unknown;
    try { parsed = JSON.parse(doc); } catch { parsed = undefined; }
    if (isObject(parsed)) {
      const service = block(parsed, 'service');
      const t = text(service, 'type');
      if (typeof t === 'string') type = t;
      const annotations = block(service, 'annotations');
      if (annotations && INTERNAL_ANNOTATION in annotations) internal = String(annotations[INTERNAL_ANNOTATION]) === 'true';
    } else {
      // YAML values: look for the annotation and an explicit service type.
      const a = new RegExp(`${INTERNAL_ANNOTATION.replace(/[./]/g, '\\$&')}["']?\\s*:\\s*["']?(true|false)`).exec(doc);
      if (a) internal = a[1] === 'true';
      const t = /^\s+type:\s*["']?(ClusterIP|NodePort|LoadBalancer)["']?\s*$/m.exec(doc);
      if (t) type = t[1];
    }
  }
  return { type, internal };
}

/** AGM-JT-004: the mesh is entered only through API Management, never from the Internet. */
export const istioIngressInternal: IPolicyRule = {
  id: 'AGM-JT-004',
  description: 'The Istio ingress is internal only: the AKS add-on\'s external ingress gateway is off, and every LoadBalancer Service (the Helm gateway chart\'s included) carries service.beta.kubernetes.io/azure-load-balancer-internal: "true".',
  fix: 'Add-on: service_mesh_profile { internal_ingress_gateway_enabled = true, external_ingress_gateway_enabled = false }. Helm gateway: set service.annotations."service.beta.kubernetes.io/azure-load-balancer-internal" = "true". Other Services: add the annotation or use ClusterIP.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Topology: APIM reaches the mesh through the internal ingress gateway only (AKS docs: Istio add-on ingress gateways)'],
  resourceTypes: ['azurerm_kubernetes_cluster', 'helm_release', ...SERVICE_TYPES, 'kubernetes_manifest'],
  evaluate(config, context) {
    const type = context.resource.type;
    if (type === 'azurerm_kubernetes_cluster') {
      const profile = block(config, 'service_mesh_profile');
      if (!profile) return RuleResult.NOT_APPLICABLE;
      const external = flag(profile, 'external_ingress_gateway_enabled');
      if (external === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      return external === true ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
    }
    if (type === 'helm_release') {
      if (!isIstioGatewayRelease(config)) return RuleResult.NOT_APPLICABLE;
      const service = gatewayService(config);
      if (service === UNKNOWN) return RuleResult.NOT_APPLICABLE;
      // The chart's Service is a LoadBalancer unless told otherwise.
      if (service.type !== undefined && !equalsAny(service.type, 'LoadBalancer')) return RuleResult.COMPLIANT;
      return service.internal ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    }
    const service = serviceOf(type, config);
    if (!service || service.serviceType === UNKNOWN || !equalsAny(service.serviceType, 'LoadBalancer')) return RuleResult.NOT_APPLICABLE;
    if (service.annotations === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return service.annotations[INTERNAL_ANNOTATION] === 'true' ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
