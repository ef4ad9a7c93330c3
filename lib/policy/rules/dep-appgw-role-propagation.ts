import { roleAssignmentsOf, SECRET_READER_ROLES, waitsForRole } from '../private/graph';
import { block, blocks, referencedAddresses } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-DEP-001: the gateway is created only after its identity's Key Vault role has propagated. */
export const appGatewayWaitsForVaultRole: IPolicyRule = {
  id: 'AGM-DEP-001',
  description: 'An Application Gateway whose listeners read certificates from Key Vault is created after its identity\'s Key Vault role assignment has propagated (a time_sleep after the assignment that the gateway depends on, or the assignment in an earlier stack).',
  fix: 'Make the gateway depend on a time_sleep (a few minutes) that depends on the role assignment, or create the identity and its role in a stack applied before (SecureEdge does this with keyVaultId and rbacPropagationWait).',
  level: RuleLevel.ERROR,
  scannerChecks: ['mspnp/aks-baseline#242: about a quarter of clean deployments failed the gateway-to-vault read', 'Azure RBAC: role assignments take up to 10 minutes to take effect'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config, context) {
    if (!blocks(config, 'ssl_certificate').some((c) => typeof c.key_vault_secret_id === 'string' && c.key_vault_secret_id !== '')) return RuleResult.NOT_APPLICABLE;
    const identities = referencedAddresses(block(config, 'identity')?.identity_ids).filter((a) => a.startsWith('azurerm_user_assigned_identity.'));
    const assignments = identities.flatMap((identity) => roleAssignmentsOf(context, identity, SECRET_READER_ROLES));
    // Access granted outside the app (or by an identity we do not see): nothing to judge here.
    if (assignments.length === 0) return RuleResult.NOT_APPLICABLE;
    return assignments.some((a) => waitsForRole(context, context.resource, a)) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
