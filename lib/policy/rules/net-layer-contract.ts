import { IExplainedPolicyRule } from '../private/explained';
import { PathResult, describeViolations, reachability } from '../private/reachability';
import { IPolicyContext, RuleLevel, RuleResult } from '../types';

/** The paths judged on an NSG: those it filters inbound, or outbound when the destination has no NSG. */
const ownedBy = (context: IPolicyContext) => (path: PathResult) => (path.destination.nsg ?? path.source.nsg)?.address === context.resource.address;

/** AGM-NET-001: no path crosses a layer beyond the layer contract. */
export const netLayerContract: IExplainedPolicyRule = {
  id: 'AGM-NET-001',
  description: 'NSGs, read as Azure evaluates them (priorities, port ranges, service tags and the default rules AllowVnetInBound/AllowVnetOutBound), let nothing cross a layer beyond the contract: Internet -> edge on the listener ports, edge -> API on TCP 443, API -> compute on TCP 443 (the ingress gateway); Azure infrastructure sources (GatewayManager, ApiManagement, AzureLoadBalancer) and outbound Internet are not layers.',
  fix: 'Remove or narrow the rule named in the finding, and keep an explicit deny below the allows so that AllowVnetInBound (65000) never applies (SecureEdge, ApiGovernance and MeshCluster derive their NSGs from their backends and callers).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Topology: zero trust between presentation, API and compute layers (NSG reachability, learn.microsoft.com/azure/virtual-network/network-security-groups-overview#security-rules)'],
  resourceTypes: ['azurerm_network_security_group'],
  evaluate(_config, context) {
    const mine = reachability(context).paths.filter(ownedBy(context));
    if (mine.every((p) => p.unknown || p.contract === undefined || p.contract === 'any')) return RuleResult.NOT_APPLICABLE;
    return describeViolations(mine).length > 0 ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
  },
  explain(_config, context) {
    return describeViolations(reachability(context).paths, ownedBy(context));
  },
};
