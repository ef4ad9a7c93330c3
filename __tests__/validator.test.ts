// The schema validator is what every other test relies on to say "this plans": show that it rejects.
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { Release } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { App, TerraformStack } from 'cdktf';
import { expectValidStack, synthStack, validateIstioManifest, validateTerraformJson } from './support';

function stack(): TerraformStack {
  return new TerraformStack(new App(), 'test');
}

/** A minimal valid stack, as JSON, to break one thing at a time. */
function validJson(): any {
  const s = stack();
  new ResourceGroup(s, 'rg', { name: 'rg', location: 'westeurope' });
  new StorageAccount(s, 'sa', {
    name: 'stexample',
    resourceGroupName: 'rg',
    location: 'westeurope',
    accountTier: 'Standard',
    accountReplicationType: 'ZRS',
    networkRules: { defaultAction: 'Deny' },
    tags: { env: 'test' },
  });
  new Release(s, 'istiod', { name: 'istiod', chart: 'istiod', repository: 'https://istio-release.storage.googleapis.com/charts', set: [{ name: 'pilot.replicaCount', value: '2' }] });
  new Manifest(s, 'peer', {
    manifest: {
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    },
  });
  return synthStack(s);
}

describe('schema validator', () => {
  test('accepts a valid stack (azurerm, helm 3 attributes, Istio manifest)', () => {
    expect(validateTerraformJson(validJson())).toEqual([]);
  });

  test('accepts Terraform expressions for any type', () => {
    const json = validJson();
    json.resource.azurerm_storage_account.sa.account_tier = '${var.tier}';
    json.resource.azurerm_storage_account.sa.network_rules = '${local.rules}';
    expect(validateTerraformJson(json)).toEqual([]);
  });

  test('rejects an unknown argument', () => {
    const json = validJson();
    json.resource.azurerm_resource_group.rg.colour = 'blue';
    expect(validateTerraformJson(json)).toEqual([expect.stringMatching(/resource\.azurerm_resource_group\.rg\.colour: unsupported argument/)]);
  });

  test('rejects a missing required argument', () => {
    const json = validJson();
    delete json.resource.azurerm_storage_account.sa.account_replication_type;
    expect(validateTerraformJson(json)).toEqual([expect.stringMatching(/account_replication_type: required argument is missing/)]);
  });

  test('rejects a wrong type', () => {
    const json = validJson();
    json.resource.azurerm_storage_account.sa.https_traffic_only_enabled = 'yes';
    json.resource.azurerm_storage_account.sa.tags = ['env'];
    expect(validateTerraformJson(json).sort()).toEqual([
      expect.stringMatching(/https_traffic_only_enabled: expected a bool, got "yes"/),
      expect.stringMatching(/tags: expected a map/),
    ]);
  });

  test('rejects too many blocks', () => {
    const json = validJson();
    json.resource.azurerm_storage_account.sa.network_rules = [{ default_action: 'Deny' }, { default_action: 'Allow' }];
    expect(validateTerraformJson(json)).toEqual([expect.stringMatching(/network_rules: at most 1 block\(s\) allowed, found 2/)]);
  });

  test('rejects a read-only attribute and an unknown resource type', () => {
    const json = validJson();
    json.resource.azurerm_storage_account.sa.primary_access_key = 'x';
    json.resource.azurerm_teleporter = { t: {} };
    expect(validateTerraformJson(json)).toEqual([
      expect.stringMatching(/primary_access_key: read-only attribute/),
      expect.stringMatching(/azurerm_teleporter: unknown resource type/),
    ]);
  });

  test('rejects helm 2-style blocks where helm 3 takes attributes', () => {
    const json = validJson();
    json.resource.helm_release.istiod.set = { name: 'pilot.replicaCount', value: '2' };
    json.resource.helm_release.istiod.kubernetes = [{ host: 'https://aks' }];
    expect(validateTerraformJson(json).sort()).toEqual([
      expect.stringMatching(/helm_release\.istiod\.kubernetes: unsupported argument or block/),
      expect.stringMatching(/helm_release\.istiod\.set: expected a list of objects/),
    ]);
  });

  test('rejects an invalid Istio field, enum value and a missing namespace', () => {
    const json = validJson();
    const manifest = json.resource.kubernetes_manifest.peer.manifest;
    manifest.spec.mtls.mode = 'STRICTEST';
    manifest.spec.portLevelMtls = { 8080: { mode: 'DISABLE' } };
    manifest.spec.mTLS = {};
    delete manifest.metadata.namespace;
    const errors = validateTerraformJson(json).join('\n');
    expect(errors).toMatch(/metadata\.namespace: required/);
    expect(errors).toMatch(/\.spec\.mtls\.mode: must be equal to one of the allowed values/);
    expect(errors).toMatch(/unknown field 'mTLS'/);
  });

  test('checks against the chosen Istio version', () => {
    const manifest = { apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: 'a', namespace: 'b' }, spec: { hosts: ['a'], http: [{ route: [{ destination: { host: 'a' } }] }] } };
    expect(validateIstioManifest('m', manifest, '1.26')).toEqual([]);
    expect(validateIstioManifest('m', { ...manifest, kind: 'Teleport' })).toEqual([expect.stringMatching(/not a kind of Istio 1.26/)]);
    expect(validateIstioManifest('m', { ...manifest, spec: { hosts: 'a' } })).toEqual([expect.stringMatching(/spec\.hosts: must be array/)]);
  });

  test('expectValidStack throws with every violation listed', () => {
    const s = stack();
    new ResourceGroup(s, 'rg', { name: 'rg', location: 'westeurope' }).addOverride('colour', 'blue');
    expect(() => expectValidStack(s)).toThrow(/1 schema violation\(s\):\n.*colour: unsupported argument/);
  });
});

describe('schema validator with several stacks', () => {
  test('accepts cdktf cross-stack references (outputs and terraform_remote_state)', () => {
    const app = new App();
    const producer = new TerraformStack(app, 'producer');
    const consumer = new TerraformStack(app, 'consumer');
    const rg = new ResourceGroup(producer, 'rg', { name: 'rg', location: 'westeurope' });
    new ResourceGroup(consumer, 'rg2', { name: `${rg.name}-2`, location: rg.location });
    const json = synthStack(consumer);
    expect(Object.keys(json.data.terraform_remote_state)).toHaveLength(1);
    expect(validateTerraformJson(json)).toEqual([]);
    expect(validateTerraformJson(synthStack(producer))).toEqual([]);
    expect(Object.keys(synthStack(producer).output)).toHaveLength(2);
  });
});
