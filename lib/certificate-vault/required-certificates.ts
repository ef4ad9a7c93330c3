import { DataAzurermKeyVaultCertificates } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-certificates';
import { DataAzurermKeyVaultSecrets } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secrets';
import { Construct } from 'constructs';
import { ITerraformDependable } from '../core/cdktf';
import { ConstructValidationError } from '../core/errors';
import { checkPattern, checkRequired, checkUnique } from '../core/validate';

/** The vault's name, read from the data source's own key_vault_id (the message is rendered by Terraform). */
const VAULT_NAME = '${element(split("/", self.key_vault_id), 8)}';

/** A postcondition on a list data source: `name` is among `self.names`, or the plan fails saying how to add it. */
function presence(kind: string, name: string, howToAdd: string) {
  return {
    condition: `\${contains(self.names, "${name}")}`,
    errorMessage: `${kind} "${name}" is not in Key Vault ${VAULT_NAME} yet: ${howToAdd.split('{name}').join(name).split('{vault}').join(VAULT_NAME)}`,
  };
}

/** Props of `RequiredCertificates`. */
export interface RequiredCertificatesProps {
  /** Resource id of the vault that must hold the certificates. */
  readonly keyVaultId: string;
  /** Names of the certificates that must be in the vault, e.g. ["edge-tls", "mesh-gateway"]. */
  readonly certificateNames: string[];
  /**
   * Names of secrets that must be in the vault too (e.g. a CA certificate stored as a secret).
   * @default - none
   */
  readonly secretNames?: string[];
  /**
   * What to tell the user when a secret is missing. `{name}` stands for the secret's name, `{vault}` for the vault's name.
   * @default - an `az keyvault secret set` command for the secret
   */
  readonly howToAddSecret?: string;
  /**
   * Resources the lists wait for before they are read at plan (e.g. the role that lets Terraform read the vault).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
  /**
   * What to tell the user when one is missing: the step that puts it there. `{name}` stands for the
   * certificate's name, `{vault}` for the vault's name.
   * @default - an `az keyvault certificate import` command for the certificate
   */
  readonly howToAdd?: string;
}

/**
 * A plan-time check that certificates exist in a Key Vault, for a stack whose resources read them
 * (Application Gateway listeners, the mesh gateway, API Management custom domains).
 *
 * Without it, a missing certificate fails the apply late: Azure refuses the Application Gateway
 * (`ApplicationGatewayKeyVaultSecretException`, or an InternalServerError after 25-30 minutes). With it,
 * `terraform plan` of the stack fails in seconds, naming the certificate and the step that adds it.
 * Terraform must be able to list the vault's certificates: run it where the vault is reachable.
 */
export class RequiredCertificates extends Construct {
  /** The list of the vault's certificates, with one postcondition per required certificate. */
  public readonly resource: DataAzurermKeyVaultCertificates;
  /**
   * The list of the vault's secrets, with one postcondition per required secret.
   * @default - none without `secretNames`
   */
  public readonly secrets?: DataAzurermKeyVaultSecrets;

  constructor(scope: Construct, id: string, props: RequiredCertificatesProps) {
    super(scope, id);
    if (props === undefined || props === null || typeof props !== 'object') {
      throw new ConstructValidationError(this, 'props', props, 'expected RequiredCertificatesProps with keyVaultId and certificateNames.');
    }
    checkRequired(this, 'keyVaultId', props.keyVaultId);
    if (!Array.isArray(props.certificateNames) || props.certificateNames.length === 0) {
      throw new ConstructValidationError(this, 'certificateNames', props.certificateNames, 'expected a non-empty list of certificate names.');
    }
    props.certificateNames.forEach((name, i) => checkPattern(this, `certificateNames[${i}]`, name, /^[0-9a-zA-Z-]{1,127}$/, '1-127 letters, digits and hyphens'));
    checkUnique(this, 'certificateNames', props.certificateNames, (name) => name);
    const secretNames = props.secretNames ?? [];
    if (!Array.isArray(secretNames)) throw new ConstructValidationError(this, 'secretNames', secretNames, 'expected a list of secret names.');
    secretNames.forEach((name, i) => checkPattern(this, `secretNames[${i}]`, name, /^[0-9a-zA-Z-]{1,127}$/, '1-127 letters, digits and hyphens'));
    checkUnique(this, 'secretNames', secretNames, (name) => name);
    const howToAdd = props.howToAdd
      ?? 'import it into the vault before this stack: az keyvault certificate import --vault-name {vault} --name {name} --file {name}.pfx';
    this.resource = new DataAzurermKeyVaultCertificates(this, 'Resource', {
      keyVaultId: props.keyVaultId,
      dependsOn: props.dependsOn,
      lifecycle: { postcondition: props.certificateNames.map((name) => presence('Certificate', name, howToAdd)) },
    });
    if (secretNames.length > 0) {
      const howToAddSecret = props.howToAddSecret ?? 'add it to the vault before this stack: az keyvault secret set --vault-name {vault} --name {name} --value <value>';
      this.secrets = new DataAzurermKeyVaultSecrets(this, 'Secrets', {
        keyVaultId: props.keyVaultId,
        dependsOn: props.dependsOn,
        lifecycle: { postcondition: secretNames.map((name) => presence('Secret', name, howToAddSecret)) },
      });
    }
  }
}
