import { UNKNOWN, block, equalsAny, flag, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-003: the Application Gateway is a WAF_v2 gateway with a WAF attached. */
export const appGatewayWafEnabled: IPolicyRule = {
  id: 'AGM-AZ-003',
  description: 'Application Gateways use the WAF_v2 tier and have a WAF policy attached (firewall_policy_id) or an enabled WAF configuration.',
  fix: 'Set sku { name = "WAF_v2", tier = "WAF_v2" } and firewall_policy_id to an azurerm_web_application_firewall_policy (SecureEdge does both).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_120'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config) {
    const tier = text(block(config, 'sku'), 'tier');
    if (tier === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    if (!equalsAny(tier, 'WAF_v2')) return RuleResult.NON_COMPLIANT;
    const policyId = text(config, 'firewall_policy_id');
    if (policyId !== undefined && policyId !== '') return RuleResult.COMPLIANT;
    const enabled = flag(block(config, 'waf_configuration'), 'enabled');
    if (enabled === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    return enabled === true ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
