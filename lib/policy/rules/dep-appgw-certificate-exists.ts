import { dependencyClosure, stackOf, vaultReferencedBy } from '../private/graph';
import { blocks, referencedAddresses, text } from '../private/values';
import { IPolicyRule, RuleLevel, RuleResult } from '../types';

/** The certificate name of a versionless or versioned secret id (`.../secrets/<name>[/<version>]`). */
function secretName(secretId: string): string | undefined {
  return /\/secrets\/([0-9a-zA-Z-]+)(?:\/[0-9a-f]{32})?$/.exec(secretId)?.[1];
}

/** AGM-DEP-002: the certificate a gateway reads exists before the gateway is created. */
export const appGatewayCertificateExists: IPolicyRule = {
  id: 'AGM-DEP-002',
  description: 'An Application Gateway does not read its certificate from a Key Vault created in the same apply, unless the certificate itself is created by Terraform before the gateway: a vault created in the same run holds no certificate yet, and Azure fails the gateway after a long timeout.',
  fix: 'Create the vault in a stack applied before the gateway\'s (CertificateVault in a foundation stack), put the certificate in it between the two applies, and check for it at plan (RequiredCertificates); or create the certificate with azurerm_key_vault_certificate and make the gateway depend on it.',
  level: RuleLevel.ERROR,
  scannerChecks: ['terraform-provider-azurerm#12910: ApplicationGatewayKeyVaultSecretException / InternalServerError after 25-30 minutes'],
  resourceTypes: ['azurerm_application_gateway'],
  evaluate(config, context) {
    let judged = false;
    for (const certificate of blocks(config, 'ssl_certificate')) {
      const secretId = certificate.key_vault_secret_id;
      const vault = vaultReferencedBy(context, secretId);
      if (!vault) continue;
      judged = true;
      if (stackOf(vault) !== stackOf(context.resource)) continue;
      const name = typeof secretId === 'string' ? secretName(secretId) : undefined;
      const created = [...dependencyClosure(context, context.resource)]
        .filter((a) => a.startsWith('azurerm_key_vault_certificate.'))
        .map((a) => context.findReferenced(`\${${a}.id}`))
        .some((c) => c !== undefined && referencedAddresses(c.config.key_vault_id).includes(vault.address) && (name === undefined || text(c.config, 'name') === name));
      if (!created) return RuleResult.NON_COMPLIANT;
    }
    return judged ? RuleResult.COMPLIANT : RuleResult.NOT_APPLICABLE;
  },
};
