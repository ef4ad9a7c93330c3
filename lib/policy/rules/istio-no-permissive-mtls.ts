import { istioObjectOf, peerAuthenticationModes } from '../private/istio';
import { UNKNOWN } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-IS-002: no PeerAuthentication reopens the mesh to plaintext. */
export const istioNoPermissiveMtls: IPolicyRule = {
  id: 'AGM-IS-002',
  description: 'No PeerAuthentication sets mtls.mode (or a portLevelMtls mode) to PERMISSIVE or DISABLE, which accept plaintext traffic.',
  fix: 'Set the mode to STRICT, or remove the PeerAuthentication to inherit the mesh-wide STRICT policy; finish migrating clients into the mesh instead of accepting plaintext.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Istio security best practices: mutual TLS in STRICT mode (istio.io/latest/docs/ops/best-practices/security/#mutual-tls)'],
  resourceTypes: ['kubernetes_manifest'],
  evaluate(config, context) {
    const pa = istioObjectOf(context.resource.type, config);
    if (!pa || pa.kind !== 'PeerAuthentication') return RuleResult.NOT_APPLICABLE;
    const modes = peerAuthenticationModes(pa);
    if (modes.some((m) => m === 'PERMISSIVE' || m === 'DISABLE')) return RuleResult.NON_COMPLIANT;
    return modes.includes(UNKNOWN) ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
