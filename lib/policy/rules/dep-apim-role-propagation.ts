import { roleAssignmentsOf, SECRET_READER_ROLES, waitsForRole } from '../private/graph';
import { block, blocks, referencedAddresses } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** True when the resource makes API Management read Key Vault. */
function readsKeyVault(type: string, config: { [key: string]: any }): boolean {
  switch (type) {
    case 'azurerm_api_management_named_value':
      return block(config, 'value_from_key_vault') !== undefined;
    case 'azurerm_api_management_certificate':
      return typeof config.key_vault_secret_id === 'string';
    case 'azurerm_api_management_custom_domain':
      return ['gateway', 'management', 'portal', 'developer_portal', 'scm'].some((kind) => blocks(config, kind).some((d) => typeof d.key_vault_certificate_id === 'string' || typeof d.key_vault_id === 'string'));
    default:
      return false;
  }
}

/** AGM-DEP-003: API Management reads Key Vault only after its identity's role has propagated. */
export const apimWaitsForVaultRole: IPolicyRule = {
  id: 'AGM-DEP-003',
  description: 'API Management named values, certificates and custom domains that come from Key Vault are created after the service identity\'s Key Vault role assignment has propagated (a time_sleep after the assignment, or the assignment in an earlier stack).',
  fix: 'Make the named value, certificate or custom domain depend on a time_sleep that depends on the role assignment (ApiGovernance does this with keyVaultId and rbacPropagationWait).',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure RBAC: role assignments take up to 10 minutes to take effect', 'API Management: Key Vault integration needs the identity\'s access before the secret is read'],
  resourceTypes: ['azurerm_api_management_named_value', 'azurerm_api_management_certificate', 'azurerm_api_management_custom_domain'],
  evaluate(config, context) {
    if (!readsKeyVault(context.resource.type, config)) return RuleResult.NOT_APPLICABLE;
    // By reference, or by name: the pack substitutes references to literal names with the name.
    const service = referencedAddresses([config.api_management_id, config.api_management_name]).find((a) => a.startsWith('azurerm_api_management.'))
      ?? context.resourcesOfType('azurerm_api_management').find((s) => typeof s.config.name === 'string' && s.config.name === config.api_management_name)?.address;
    if (!service) return RuleResult.NOT_APPLICABLE;
    const identity = block(config, 'value_from_key_vault')?.identity_client_id;
    // A user-assigned identity of the vault read: its roles are granted outside what this rule follows.
    if (typeof identity === 'string' && identity !== '') return RuleResult.NOT_APPLICABLE;
    const assignments = roleAssignmentsOf(context, service, SECRET_READER_ROLES);
    if (assignments.length === 0) return RuleResult.NOT_APPLICABLE;
    return assignments.some((a) => waitsForRole(context, context.resource, a)) ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT;
  },
};
