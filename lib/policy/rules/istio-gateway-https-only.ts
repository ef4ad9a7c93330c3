import { istioObjectOf } from '../private/istio';
import { UNKNOWN, block, blocks, equalsAny, flag, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-JT-005: APIM reaches the mesh over HTTPS; plain HTTP only redirects. */
export const istioGatewayHttpsOnly: IPolicyRule = {
  id: 'AGM-JT-005',
  description: 'Istio Gateway servers serve HTTPS (or TLS): an HTTP server only redirects (tls.httpsRedirect = true), and a TLS server does not lower minProtocolVersion below TLS 1.2.',
  fix: 'Use port { protocol: HTTPS } with tls { mode: SIMPLE, credentialName: <secret in the gateway namespace> }; give HTTP servers tls { httpsRedirect: true }; leave minProtocolVersion unset or TLSV1_2+.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Topology: APIM -> HTTPS -> Istio ingress gateway (Istio docs: secure gateways)'],
  resourceTypes: ['kubernetes_manifest'],
  evaluate(config, context) {
    const gateway = istioObjectOf(context.resource.type, config);
    if (!gateway || gateway.kind !== 'Gateway') return RuleResult.NOT_APPLICABLE;
    let unknown = false;
    for (const server of blocks(gateway.spec, 'servers')) {
      const protocol = text(block(server, 'port'), 'protocol');
      const tls = block(server, 'tls');
      if (protocol === UNKNOWN) { unknown = true; continue; }
      if (equalsAny(protocol, 'HTTP', 'HTTP2')) {
        const redirect = flag(tls, 'httpsRedirect');
        if (redirect === UNKNOWN) { unknown = true; continue; }
        if (redirect !== true) return RuleResult.NON_COMPLIANT;
      }
      const min = text(tls, 'minProtocolVersion');
      if (min === UNKNOWN) { unknown = true; continue; }
      if (equalsAny(min, 'TLSV1_0', 'TLSV1_1')) return RuleResult.NON_COMPLIANT;
    }
    return unknown ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
