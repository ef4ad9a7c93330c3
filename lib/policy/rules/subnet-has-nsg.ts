import { nsgOfSubnet } from '../private/network';
import { Json, UNKNOWN, block, blocks, equalsAny, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Subnets Azure does not let (or need) an NSG on. */
const EXEMPT = ['GatewaySubnet', 'AzureFirewallSubnet', 'AzureFirewallManagementSubnet', 'RouteServerSubnet'];

function exempt(subnet: Json): boolean | typeof UNKNOWN {
  const name = text(subnet, 'name');
  if (name === UNKNOWN) return UNKNOWN;
  if (equalsAny(name, ...EXEMPT)) return true;
  return blocks(subnet, 'delegation').some((d) => equalsAny(text(block(d, 'service_delegation'), 'name'), 'Microsoft.Netapp/volumes'));
}

/** AGM-AZ-007: every subnet has a network security group. */
export const subnetHasNsg: IPolicyRule = {
  id: 'AGM-AZ-007',
  description: 'Every subnet (except GatewaySubnet, AzureFirewallSubnet, AzureFirewallManagementSubnet, RouteServerSubnet) is associated with a network security group.',
  fix: 'Create an azurerm_network_security_group and an azurerm_subnet_network_security_group_association for the subnet (SecureEdge, ApiGovernance and MeshCluster do this for their subnets).',
  level: RuleLevel.ERROR,
  scannerChecks: ['CKV2_AZURE_31'],
  resourceTypes: ['azurerm_subnet', 'azurerm_virtual_network'],
  evaluate(config, context) {
    if (context.resource.type === 'azurerm_virtual_network') {
      // Inline subnets carry their NSG in `security_group`.
      let unknown = false;
      for (const subnet of blocks(config, 'subnet')) {
        const skip = exempt(subnet);
        if (skip === UNKNOWN) { unknown = true; continue; }
        if (skip) continue;
        const nsg = text(subnet, 'security_group');
        if (nsg === undefined || nsg === '') return RuleResult.NON_COMPLIANT;
      }
      return unknown ? RuleResult.NOT_APPLICABLE : blocks(config, 'subnet').length > 0 ? RuleResult.COMPLIANT : RuleResult.NOT_APPLICABLE;
    }
    const skip = exempt(config);
    if (skip === UNKNOWN) return RuleResult.NOT_APPLICABLE;
    if (skip) return RuleResult.NOT_APPLICABLE;
    return nsgOfSubnet(context, `\${${context.resource.address}.id}`) === 'none' ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
  },
};
