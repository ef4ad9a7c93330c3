import { createdAfter, privateEndpointsOf, vaultReferencedBy } from '../private/graph';
import { blocks, flag } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** AGM-DEP-005: a reader of a private vault is created after the vault's private endpoint and its DNS. */
export const vaultReaderWaitsForPrivateEndpoint: IPolicyRule = {
  id: 'AGM-DEP-005',
  description: 'An Application Gateway that reads certificates from a Key Vault without public network access is created after the vault\'s private endpoint (with its private DNS zone group): before it, the vault\'s name does not resolve to a reachable address from the VNet.',
  fix: 'Create the vault and its private endpoint in a stack applied before the gateway\'s (CertificateVault in a foundation stack), or make the gateway depend on the private endpoint.',
  level: RuleLevel.ERROR,
  scannerChecks: ['Azure Private Link: the privatelink.vaultcore.azure.net record is written by the endpoint\'s DNS zone group'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config, context) {
    let judged = false;
    for (const certificate of blocks(config, 'ssl_certificate')) {
      const vault = vaultReferencedBy(context, certificate.key_vault_secret_id);
      if (!vault) continue;
      const endpoints = privateEndpointsOf(context, vault);
      // With a private endpoint, the VNet resolves the vault to it; without one, only a vault closed to the Internet is unreachable.
      if (endpoints.length === 0 && flag(vault.config, 'public_network_access_enabled') !== false) continue;
      judged = true;
      if (!endpoints.some((pe) => createdAfter(context, context.resource, pe))) return RuleResult.NON_COMPLIANT;
    }
    return judged ? RuleResult.COMPLIANT : RuleResult.NOT_APPLICABLE;
  },
};
