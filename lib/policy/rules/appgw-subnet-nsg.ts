import { inboundFromTag, nsgOfSubnet, rulesOfNsg } from '../private/network';
import { UNKNOWN, block, blocks, rawText, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-JT-003: the NSG of the Application Gateway v2 subnet admits Azure's infrastructure traffic. */
export const appGatewaySubnetNsg: IPolicyRule = {
  id: 'AGM-JT-003',
  description: 'The NSG of an Application Gateway v2 subnet allows inbound GatewayManager -> TCP 65200-65535 and does not block AzureLoadBalancer; without them Azure cannot manage the gateway.',
  fix: 'Add inbound Allow rules to the edge subnet\'s NSG: source service tag GatewayManager to ports 65200-65535, and keep AzureLoadBalancer allowed (SecureEdge creates them).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure guidance: Application Gateway v2 infrastructure NSG requirements (learn.microsoft.com/azure/application-gateway/configuration-infrastructure)'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config, context) {
    const tier = text(block(config, 'sku'), 'tier');
    if (tier === UNKNOWN || typeof tier !== 'string' || !/_v2$/i.test(tier)) return RuleResult.NOT_APPLICABLE;
    const subnetIds = blocks(config, 'gateway_ip_configuration').map((g) => rawText(g, 'subnet_id')).filter((s): s is string => s !== undefined);
    let result: RuleResult = RuleResult.NOT_APPLICABLE;
    for (const subnetId of subnetIds) {
      const nsg = nsgOfSubnet(context, subnetId);
      // A subnet without an NSG is AGM-AZ-007's finding; nothing blocks the infrastructure ports then.
      if (nsg === 'none' || nsg === 'outside-app') continue;
      const rules = rulesOfNsg(context, nsg);
      const decisions = [inboundFromTag(rules, 'GatewayManager', 65200, 65535), inboundFromTag(rules, 'AzureLoadBalancer', 65200, 65200)];
      if (decisions.includes('deny')) return RuleResult.NON_COMPLIANT;
      if (!decisions.includes(UNKNOWN)) result = RuleResult.COMPLIANT;
    }
    return result;
  },
};
