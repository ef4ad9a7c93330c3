import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { IConstruct } from 'constructs';
import { DefaultTokenResolver, StringConcat, Tokenization } from './cdktf';
import { ConstructValidationError, isUnresolved } from './errors';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

/** What a value says about a vault: its literal name, or the Terraform address of the `azurerm_key_vault` it references. */
type VaultRef = { name: string } | { address: string };

function resolve(scope: IConstruct, value: string): string | undefined {
  if (!isUnresolved(value)) return value;
  try {
    const resolved = Tokenization.resolve(value, { scope, preparing: false, resolver: RESOLVER });
    return typeof resolved === 'string' ? resolved : undefined;
  } catch {
    return undefined;
  }
}

/** The vault a Key Vault resource id names. */
function vaultOfId(scope: IConstruct, keyVaultId: string): VaultRef | undefined {
  const text = resolve(scope, keyVaultId);
  if (text === undefined) return undefined;
  const reference = /^\$\{(azurerm_key_vault\.[A-Za-z0-9_-]+)\.id\}$/.exec(text);
  if (reference) return { address: reference[1] };
  const literal = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/([a-zA-Z0-9-]+)$/i.exec(text);
  return literal ? { name: literal[1].toLowerCase() } : undefined;
}

/** The vault a Key Vault secret id (`https://<vault>.vault.azure.net/secrets/<name>`) points into. */
function vaultOfSecretId(scope: IConstruct, secretId: string): VaultRef | undefined {
  const text = resolve(scope, secretId);
  if (text === undefined) return undefined;
  const reference = /^(?:https:\/\/)?\$\{(azurerm_key_vault\.[A-Za-z0-9_-]+)\.(?:vault_uri|name)\}/.exec(text);
  if (reference) return { address: reference[1] };
  const literal = /^https:\/\/([a-zA-Z0-9-]+)\.vault\.(?:azure\.net|azure\.cn|usgovcloudapi\.net)\//i.exec(text);
  return literal ? { name: literal[1].toLowerCase() } : undefined;
}

/** The literal name of the `azurerm_key_vault` at `address` in the app, or undefined when it is an expression. */
function nameOfVaultResource(scope: IConstruct, address: string): string | undefined {
  const id = address.slice('azurerm_key_vault.'.length);
  const vault = scope.node.root.node.findAll().find((c): c is KeyVault => c instanceof KeyVault && c.friendlyUniqueId === id);
  const name = vault?.nameInput;
  return name !== undefined && !isUnresolved(name) ? name.toLowerCase() : undefined;
}

/**
 * Fails when a certificate's secret id points into another vault than the one an identity is granted
 * access to (`keyVaultId`): the identity could not read the certificate, and Azure would refuse the
 * resource at apply. Values that cannot be compared at synth time (variables, data sources) are left to Azure.
 */
export function checkSecretInVault(
  scope: IConstruct, secretProp: string, secretId: string, keyVaultProp: string, keyVaultId: string | undefined,
): void {
  if (keyVaultId === undefined || secretId === undefined) return;
  const vault = vaultOfId(scope, keyVaultId);
  const secret = vaultOfSecretId(scope, secretId);
  if (!vault || !secret) return;
  const fail = (what: string) => {
    throw new ConstructValidationError(scope, secretProp, resolve(scope, secretId) ?? secretId,
      `expected a secret in the vault of '${keyVaultProp}' (${what}), the one the identity is granted access to: build it from that vault (e.g. \`\${vault.vaultUri}secrets/<name>\`), or pass the certificate's vault as '${keyVaultProp}'.`);
  };
  if ('address' in vault && 'address' in secret) {
    if (vault.address !== secret.address) fail(`${vault.address}, not ${secret.address}`);
    return;
  }
  const vaultName = 'name' in vault ? vault.name : nameOfVaultResource(scope, vault.address);
  const secretVaultName = 'name' in secret ? secret.name : nameOfVaultResource(scope, secret.address);
  if (vaultName !== undefined && secretVaultName !== undefined) {
    if (vaultName !== secretVaultName) fail(`"${vaultName}", not "${secretVaultName}"`);
    return;
  }
  // One side is a literal name, the other a vault whose name Terraform computes: they cannot be known to match.
  if ('name' in secret && 'address' in vault) fail(`${vault.address}, whose name is only known at plan time`);
}
