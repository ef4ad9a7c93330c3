import { roleAssignmentsOf, waitsForRole } from '../private/graph';
import { block, referencedAddresses } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** Roles that let the AKS control plane create load balancer frontends in a subnet. */
const SUBNET_ROLES = ['Network Contributor', 'Owner', 'Contributor'];

/** AGM-DEP-006: an AKS cluster with a user-assigned identity is created after the identity's subnet role has propagated. */
export const aksWaitsForSubnetRole: IPolicyRule = {
  id: 'AGM-DEP-006',
  description: 'An AKS cluster whose control plane uses a user-assigned identity in a custom subnet is created after that identity\'s network role assignment has propagated: the Istio add-on\'s internal load balancer is created with the cluster and stays pending without it.',
  fix: 'Make the cluster depend on a time_sleep that depends on the "Network Contributor" assignment of its identity (MeshCluster does this with controlPlaneIdentity), or grant the role in an earlier stack.',
  level: RuleLevel.ERROR,
  scannerChecks: ['AKS docs: a user-assigned control plane identity needs Network Contributor on a custom subnet before cluster creation'],
  resourceTypes: ['azurerm_kubernetes_cluster'],
  evaluate(config, context) {
    const identity = block(config, 'identity');
    if (identity?.type !== 'UserAssigned' || block(config, 'default_node_pool')?.vnet_subnet_id === undefined) return RuleResult.NOT_APPLICABLE;
    const identities = referencedAddresses(identity.identity_ids).filter((a) => a.startsWith('azurerm_user_assigned_identity.'));
    const assignments = identities.flatMap((address) => roleAssignmentsOf(context, address, SUBNET_ROLES));
    if (assignments.length === 0) return RuleResult.NOT_APPLICABLE;
    return assignments.some((a) => waitsForRole(context, context.resource, a)) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
