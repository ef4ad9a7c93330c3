import { IExplainedPolicyRule } from '../private/explained';
import { PathResult, describeBlocked, reachability } from '../private/reachability';
import { IPolicyContext, RuleLevel, RuleResult } from '../types';

const ownedBy = (context: IPolicyContext) => (path: PathResult) => (path.destination.nsg ?? path.source.nsg)?.address === context.resource.address;

/** AGM-NET-002: the paths the topology needs are open. */
export const netRequiredPaths: IExplainedPolicyRule = {
  id: 'AGM-NET-002',
  description: 'The paths the topology needs are open in the NSGs of both ends: Internet -> edge on the public listener ports (to the subnet and to the public frontend IP, which Application Gateway v2 uses as destination when a public and a private listener share a port), edge -> API on TCP 443, and API -> compute on TCP 443 when API Management has backends.',
  fix: 'Allow the path named in the finding in the destination subnet\'s NSG (and in the source subnet\'s outbound rules), with the frontend IPs among the listener rules\' destinations.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure guidance: Application Gateway frontend IP and NSG (learn.microsoft.com/azure/application-gateway/configuration-frontend-ip)'],
  resourceTypes: ['azurerm_network_security_group'],
  evaluate(_config, context) {
    const mine = reachability(context).paths.filter(ownedBy(context));
    if (mine.every((p) => p.unknown || p.required.length === 0)) return RuleResult.NOT_APPLICABLE;
    return describeBlocked(mine).length > 0 ? RuleResult.NON_COMPLIANT : RuleResult.COMPLIANT;
  },
  explain(_config, context) {
    return describeBlocked(reachability(context).paths, ownedBy(context));
  },
};
