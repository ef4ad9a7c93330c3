import { inboundFromTag, nsgOfSubnet, rulesOfNsg } from '../private/network';
import { UNKNOWN, block, equalsAny, rawText, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-JT-002: the NSG of API Management's subnet lets Azure manage and health-check the service. */
export const apimSubnetNsg: IPolicyRule = {
  id: 'AGM-JT-002',
  description: 'The subnet of a VNet-injected API Management has an NSG that allows inbound ApiManagement -> TCP 3443 (management endpoint) and AzureLoadBalancer -> TCP 6390 (infrastructure load balancer).',
  fix: 'Associate an NSG with the API subnet with inbound Allow rules: source service tag ApiManagement to port 3443, source AzureLoadBalancer to port 6390 (ApiGovernance creates them).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure guidance: API Management VNet injection NSG rules (learn.microsoft.com/azure/api-management/virtual-network-reference)'],
  resourceTypes: ['azurerm_api_management'],
  evaluate(config, context) {
    const mode = text(config, 'virtual_network_type');
    if (mode === UNKNOWN || !equalsAny(mode, 'Internal', 'External')) return RuleResult.NOT_APPLICABLE;
    const subnetId = rawText(block(config, 'virtual_network_configuration'), 'subnet_id');
    if (typeof subnetId !== 'string') return RuleResult.NOT_APPLICABLE;
    const nsg = nsgOfSubnet(context, subnetId);
    if (nsg === 'outside-app') return RuleResult.NOT_APPLICABLE;
    // Without an NSG in the app, only a subnet of the app is known to lack one.
    if (nsg === 'none') return context.findReferenced(subnetId) ? RuleResult.NON_COMPLIANT : RuleResult.NOT_APPLICABLE;
    const rules = rulesOfNsg(context, nsg);
    const decisions = [inboundFromTag(rules, 'ApiManagement', 3443, 3443), inboundFromTag(rules, 'AzureLoadBalancer', 6390, 6390)];
    if (decisions.includes('deny')) return RuleResult.NON_COMPLIANT;
    return decisions.includes(UNKNOWN) ? RuleResult.NOT_APPLICABLE : RuleResult.COMPLIANT;
  },
};
