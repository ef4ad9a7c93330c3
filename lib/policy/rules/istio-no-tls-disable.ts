import { istioObjectOf } from '../private/istio';
import { Json, UNKNOWN, Unknown, block, blocks, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** TLS modes a traffic policy sets, for all ports and per port. */
function tlsModes(policy: Json | undefined): Array<string | undefined | Unknown> {
  if (!policy) return [];
  return [text(block(policy, 'tls'), 'mode'), ...blocks(policy, 'portLevelSettings').map((p) => text(block(p, 'tls'), 'mode'))];
}

/** AGM-IS-005: no client-side policy turns mutual TLS off. */
export const istioNoTlsDisable: IPolicyRule = {
  id: 'AGM-IS-005',
  description: 'No DestinationRule sets tls.mode DISABLE (top-level, per port or per subset), which sends plaintext to the destination.',
  fix: 'Remove the tls block (Istio then uses ISTIO_MUTUAL automatically) or set tls.mode to ISTIO_MUTUAL.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Istio security best practices: mutual TLS (istio.io/latest/docs/ops/best-practices/security/#mutual-tls)'],
  resourceTypes: ['kubernetes_manifest'],
  evaluate(config, context) {
    const rule = istioObjectOf(context.resource.type, config);
    if (!rule || rule.kind !== 'DestinationRule') return RuleResult.NOT_APPLICABLE;
    const modes = [
      ...tlsModes(block(rule.spec, 'trafficPolicy')),
      ...blocks(rule.spec, 'subsets').flatMap((s) => tlsModes(block(s, 'trafficPolicy'))),
    ];
    if (modes.includes('DISABLE')) return RuleResult.NON_COMPLIANT;
    return modes.includes(UNKNOWN) ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
