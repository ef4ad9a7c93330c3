import { ApiManagementNamedValue } from '@cdktf/provider-azurerm/lib/api-management-named-value';
import { Construct } from 'constructs';
import { CHILD_NAME_RULE, defaultChildName } from './internal';
import { IApiManagementService } from './service';
import { ITerraformDependable } from '../core/cdktf';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkAzureName, checkPattern } from '../core/validate';

/** Options of `ApiGovernance.addNamedValue`: exactly one of `value` and `keyVaultSecretId`. */
export interface NamedValueOptions {
  /**
   * Entity name of the named value.
   * @default - the construct id, lower-cased, other characters replaced by hyphens
   */
  readonly namedValueName?: string;
  /**
   * Display name, by which policies reference it (`{{display-name}}`).
   * @default - `namedValueName`
   */
  readonly displayName?: string;
  /**
   * A plain value. Secret values must be Terraform references (e.g. a sensitive variable),
   * never literals: the synthesized JSON would carry them in plain text. A value whose name or
   * display name looks like a credential (secret, password, key, token, connection string) must
   * be secret.
   * @default - `keyVaultSecretId` is used
   */
  readonly value?: string;
  /**
   * Whether the value is a secret (encrypted at rest, masked in the portal).
   *
   * A secret given as `value` (a Terraform reference) rather than `keyVaultSecretId` is an
   * insecure opt-out: it lives in Terraform state and is not rotated from Key Vault, so the
   * policy pack reports it (AGM-AZ-028). Prefer `keyVaultSecretId`.
   * @default false (true with `keyVaultSecretId`)
   */
  readonly secret?: boolean;
  /**
   * Key Vault secret (versionless URI `https://<vault>.vault.azure.net/secrets/<name>`, so that
   * rotations are picked up) read with the service's system-assigned identity.
   * @default - `value` is used
   */
  readonly keyVaultSecretId?: string;
  /**
   * Tags of the named value.
   * @default - none
   */
  readonly tags?: string[];
}

/** Props of `ApimNamedValue`. */
export interface ApimNamedValueProps extends NamedValueOptions {
  /** The service the named value belongs to. */
  readonly service: IApiManagementService;
  /**
   * Resources that must exist first (e.g. the identity's Key Vault role assignment).
   * @default - none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** Names that say a value is a credential (those the policy pack's AGM-AZ-028 treats as secrets). */
const CREDENTIAL_NAME = /(secret|password|passwd|pwd|api[-_]?key|access[-_]?key|token|connection[-_]?string|credential)/i;

const KEY_VAULT_SECRET_URI = /^https:\/\/[a-zA-Z0-9-]{3,24}\.vault\.(azure\.net|azure\.cn|usgovcloudapi\.net)\/secrets\/[a-zA-Z0-9-]{1,127}(\/[a-f0-9]{32})?\/?$/;

/** A named value of API Management: a literal, a referenced secret, or a Key Vault secret. *
/** A named value of API Management: a literal, a referenced secret, or a Key Vault secret. * @example
/** A named value of API Management: a literal, a referenced secret, or a Key Vault secret. * api.addNamedValue('PartnerKey', { secret: true, keyVaultSecretId: 'https://kv-shop.vault.azure.net/secrets/partner-key' });
/** A named value of API Management: a literal, a referenced secret, or a Key Vault secret. */
export class ApimNamedValue extends Construct {
  /** The named value. */
  public readonly resource: ApiManagementNamedValue;
  /** Entity name. */
  public readonly namedValueName: string;
  /** Display name. */
  public readonly displayName: string;
  /** `{{display-name}}`, to use in policies and logger credentials. */
  public readonly reference: string;

  constructor(scope: Construct, id: string, props: ApimNamedValueProps) {
    super(scope, id);
    this.namedValueName = props.namedValueName ?? defaultChildName(id);
    checkAzureName(this, 'namedValueName', this.namedValueName, CHILD_NAME_RULE);
    this.displayName = props.displayName ?? this.namedValueName;
    checkPattern(this, 'displayName', this.displayName, /^[0-9a-zA-Z_.-]{1,256}$/, '1-256 letters, digits, periods, hyphens and underscores');
    if ((props.value === undefined) === (props.keyVaultSecretId === undefined)) {
      throw new ConstructValidationError(this, 'value', props.value === undefined ? undefined : '(hidden)', 'expected exactly one of `value` and `keyVaultSecretId`.');
    }
    if (props.keyVaultSecretId !== undefined) {
      checkPattern(this, 'keyVaultSecretId', props.keyVaultSecretId, KEY_VAULT_SECRET_URI,
        'a Key Vault secret URI such as "https://kv-name.vault.azure.net/secrets/name" (versionless, so rotations are picked up)');
      if (props.secret === false) {
        throw new ConstructValidationError(this, 'secret', false, 'Key Vault-backed named values are always secret; leave `secret` unset.');
      }
    }
    if (!props.secret && props.value !== undefined) {
      // A credential as a plain (non-secret) value would be shown in the portal and reported by the policy pack.
      for (const [prop, name] of [['namedValueName', this.namedValueName], ['displayName', this.displayName]] as const) {
        if (!isUnresolved(name) && CREDENTIAL_NAME.test(name)) {
          throw new ConstructValidationError(this, prop, name,
            'the name says the value is a credential (secret, password, key, token, connection string), but it is a plain value: give it `keyVaultSecretId` (or a Terraform reference with `secret: true`), or a name that does not look like a credential.');
        }
      }
    }
    if (props.secret && props.value !== undefined && !isUnresolved(props.value)) {
      // Never echo the value itself.
      throw new ConstructValidationError(this, 'value', '(a literal)',
        'a secret value must be a Terraform reference (e.g. a sensitive variable) or come from Key Vault (`keyVaultSecretId`), so that it is not written in plain text.');
    }

    this.resource = new ApiManagementNamedValue(this, 'Resource', {
      name: this.namedValueName,
      apiManagementName: props.service.apiManagementName,
      resourceGroupName: props.service.resourceGroupName,
      displayName: this.displayName,
      secret: props.keyVaultSecretId !== undefined ? true : props.secret ?? false,
      value: props.value,
      valueFromKeyVault: props.keyVaultSecretId !== undefined ? { secretId: props.keyVaultSecretId } : undefined,
      tags: props.tags,
      dependsOn: props.keyVaultSecretId !== undefined ? props.dependsOn : undefined,
    });
    this.reference = `{{${this.displayName}}}`;
  }
}
