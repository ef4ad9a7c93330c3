import { opensToInternet, ruleView } from '../private/network';
import { UNKNOWN, blocks } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-AZ-006: SSH and RDP are never open to the Internet. */
export const nsgNoAdminPortsFromInternet: IPolicyRule = {
  id: 'AGM-AZ-006',
  description: 'No network security rule allows inbound SSH (22) or RDP (3389) from the Internet (*, Any, Internet, 0.0.0.0/0).',
  fix: 'Remove the rule or restrict its source to a management range; reach machines through Azure Bastion or a private network.',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV_AZURE_9', 'CKV_AZURE_10', 'AVD-AZU-0048', 'AVD-AZU-0050'],
  resourceTypes: ['azurerm_network_security_group', 'azurerm_network_security_rule'],
  evaluate(config, context) {
    const rules = context.resource.type === 'azurerm_network_security_rule' ? [ruleView(config)] : blocks(config, 'security_rule').map(ruleView);
    let unknown = false;
    for (const rule of rules) {
      for (const port of [22, 3389]) {
        const open = opensToInternet(rule, port);
        if (open === true) return RuleResult.NON_COMPLIANT;
        if (open === UNKNOWN) unknown = true;
      }
    }
    return unknown ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
