import { Json, UNKNOWN, block, blocks, equalsAny, strings, text } from '../private/values';
import { combine } from '../private/verdicts';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Predefined policies whose minimum protocol is TLS 1.2 (the 2015 and plain 2017 ones allow TLS 1.0). */
const TLS12_PREDEFINED = ['AppGwSslPolicy20170401S', 'AppGwSslPolicy20220101', 'AppGwSslPolicy20220101S'];

function judge(policy: Json | undefined): RuleResult {
  if (!policy) return RuleResult.NON_COMPLIANT;
  const type = text(policy, 'policy_type');
  const name = text(policy, 'policy_name');
  const min = text(policy, 'min_protocol_version');
  if (type === UNKNOWN || name === UNKNOWN || min === UNKNOWN) return RuleResult.NOT_APPLICABLE;
  if (equalsAny(type, 'Custom', 'CustomV2')) return equalsAny(min, 'TLSv1_2', 'TLSv1_3') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  if (name !== undefined) return equalsAny(name, ...TLS12_PREDEFINED) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  // The legacy form: the default policy with TLS 1.0 and 1.1 disabled.
  const disabled = strings(policy, 'disabled_protocols');
  if (disabled === UNKNOWN) return RuleResult.NOT_APPLICABLE;
  return disabled.includes('TLSv1_0') && disabled.includes('TLSv1_1') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
}

/** AGM-AZ-004: listeners accept TLS 1.2 or later only. */
export const appGatewayTlsPolicy: IPolicyRule = {
  id: 'AGM-AZ-004',
  description: 'Application Gateways (and each SSL profile) set a TLS policy whose minimum protocol is TLS 1.2.',
  fix: 'Set ssl_policy { policy_type = "Predefined", policy_name = "AppGwSslPolicy20220101S" } or a CustomV2 policy with min_protocol_version = "TLSv1_2".',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_218'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config) {
    const profiles = blocks(config, 'ssl_profile').map((p) => block(p, 'ssl_policy')).filter((p) => p !== undefined);
    return combine([judge(block(config, 'ssl_policy')), ...profiles.map(judge)]);
  },
};
