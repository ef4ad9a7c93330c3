import { UNKNOWN, block, equalsAny, flag, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-001: the WAF blocks attacks, it does not only log them. */
export const wafPreventionMode: IPolicyRule = {
  id: 'AGM-AZ-001',
  description: 'WAF policies (and any inline Application Gateway WAF configuration) are enabled and in Prevention mode; Detection mode only logs attacks.',
  fix: 'Set policy_settings { enabled = true, mode = "Prevention" } on the WAF policy (SecureEdge: wafMode WafMode.PREVENTION); on an inline waf_configuration set enabled = true and firewall_mode = "Prevention".',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_122', 'Azure Policy 12430be1-6cc8-4527-a9a8-e3d38f250096 (WAF mode for Application Gateway)', 'PSRule Azure.AppGw.Prevention'],
  resourceTypes: ['azurerm_web_application_firewall_policy', 'azurerm_application_gateway'],
  evaluate(config, context) {
    const policy = context.resource.type === 'azurerm_web_application_firewall_policy';
    const settings = block(config, policy ? 'policy_settings' : 'waf_configuration');
    // A WAF policy without policy_settings gets the provider's defaults: enabled, Prevention.
    if (!settings) return policy ? RuleResult.COMPLIANT : RuleResult.NOT_APPLICABLE;
    const enabled = flag(settings, 'enabled');
    const mode = text(settings, policy ? 'mode' : 'firewall_mode');
    if (enabled === UNKNOWN || mode === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    if (enabled === false) return RuleResult.NON_COMPLIANT;
    if (mode === undefined) return policy ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
    return equalsAny(mode, 'Prevention') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
