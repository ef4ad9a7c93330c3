// The Azure module interface (tags, lock, roleAssignments, diagnosticSettings, bring-your-own identities):
// the same props on every construct that creates Azure resources, checked the same way on each.
import * as fs from 'fs';
import * as path from 'path';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import * as cdktf from 'cdktf';
import { App, TerraformStack } from 'cdktf';
import * as ts from 'typescript';
import * as lib from '../lib';
import {
  ApiGovernance, AzureModuleProps, LockLevel, MeshCluster, ModuleInterfaceResources, PrincipalType, SecureEdge, TieredNetwork,
} from '../lib';
import { expectValidStack, synthStack } from './support';

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000';
const WORKSPACE = `${SUB}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-shop`;
const STORAGE = `${SUB}/resourceGroups/rg-ops/providers/Microsoft.Storage/storageAccounts/stshoplogs`;
const EVENT_HUB_RULE = `${SUB}/resourceGroups/rg-ops/providers/Microsoft.EventHub/namespaces/evhns-shop/authorizationRules/send`;
const IDENTITY = `${SUB}/resourceGroups/rg-shop/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-aks`;
const ADMINS = '11111111-1111-1111-1111-111111111111';
const READERS = '22222222-2222-2222-2222-222222222222';
const IDENTITY_PRINCIPAL = '33333333-3333-3333-3333-333333333333';
const TAGS = { costCenter: 'shop', env: 'prod' };
const placement = { resourceGroupName: 'rg-shop', location: 'westeurope' };

type Kind = 'TieredNetwork' | 'SecureEdge' | 'ApiGovernance' | 'MeshCluster';
/** Terraform type of each construct's primary resource. */
const PRIMARY: Record<Kind, string> = {
  TieredNetwork: 'azurerm_virtual_network',
  SecureEdge: 'azurerm_application_gateway',
  ApiGovernance: 'azurerm_api_management',
  MeshCluster: 'azurerm_kubernetes_cluster',
};
const KINDS = Object.keys(PRIMARY) as Kind[];

interface Built {
  readonly stack: TerraformStack;
  readonly construct: { moduleResources: ModuleInterfaceResources; node: any };
}

/** One construct of the kind (id `Subject`) with the module props; the network under it is `Network`, untagged. */
function build(kind: Kind, props: AzureModuleProps & { tags?: { [key: string]: string } } = {}, extra: object = {}): Built {
  const stack = new TerraformStack(new App(), 'platform');
  if (kind === 'TieredNetwork') return { stack, construct: new TieredNetwork(stack, 'Subject', { ...placement, ...props, ...extra }) };
  const network = new TieredNetwork(stack, 'Network', placement);
  switch (kind) {
    case 'SecureEdge':
      return {
        stack,
        construct: new SecureEdge(stack, 'Subject', {
          ...placement,
          ...props,
          ...extra,
          subnet: network.edgeSubnet,
          backend: { gatewayHostName: 'apim-shop.azure-api.net', privateIpAddresses: ['10.0.1.5'], healthProbePath: '/status-0123456789abcdef' },
          listeners: [{ id: 'api', hostNames: ['api.shop.example'], certificateSecretId: 'https://kv-shop.vault.azure.net/secrets/edge-tls' }],
        }),
      };
    case 'ApiGovernance':
      return {
        stack,
        construct: new ApiGovernance(stack, 'Subject', {
          ...placement,
          ...props,
          ...extra,
          name: 'apim-shop',
          subnet: network.apiSubnet,
          publisherName: 'Shop',
          publisherEmail: 'platform@shop.example',
        }),
      };
    case 'MeshCluster':
      return { stack, construct: new MeshCluster(stack, 'Subject', { ...placement, ...props, ...extra, subnet: network.computeSubnet }) };
  }
}

/** The resources of a type whose address belongs to the construct `Subject`. */
function ofSubject(json: any, type: string): Array<[string, any]> {
  return Object.entries<any>(json.resource[type] ?? {}).filter(([name]) => name.startsWith('Subject_'));
}

function primaryRef(json: any, kind: Kind): string {
  const [[name]] = ofSubject(json, PRIMARY[kind]);
  return `\${${PRIMARY[kind]}.${name}.id}`;
}

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, 'support', 'schemas', 'azurerm-4.55.0.json'), 'utf8'));
const taggable = (type: string): boolean => schema.resource_schemas[type]?.block.attributes?.tags !== undefined;

describe.each(KINDS)('%s', (kind) => {
  test('takes tags, a lock, role assignments and diagnostic settings on its primary resource', () => {
    const { stack, construct } = build(kind, {
      tags: TAGS,
      lock: { level: LockLevel.CAN_NOT_DELETE },
      roleAssignments: [
        { principalId: ADMINS, roleDefinitionIdOrName: 'Owner', principalType: PrincipalType.GROUP, description: 'platform team' },
        { principalId: READERS, roleDefinitionIdOrName: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7' },
      ],
      diagnosticSettings: [
        { storageAccountId: STORAGE },
        { name: 'to-siem', eventHubAuthorizationRuleId: EVENT_HUB_RULE, eventHubName: 'azure-logs', logCategories: ['AuditEvent'] },
      ],
    });
    expectValidStack(stack);
    const json = synthStack(stack);
    const primary = primaryRef(json, kind);

    // The lock: on the primary resource, after everything else the construct creates.
    const [[, lock]] = ofSubject(json, 'azurerm_management_lock');
    expect(lock).toMatchObject({ scope: primary, lock_level: 'CanNotDelete' });
    expect(lock.name).toMatch(/^lock-/);
    const everything = Object.entries<any>(json.resource).flatMap(([type, byName]) =>
      Object.keys(byName).filter((name) => name.startsWith('Subject_') && type !== 'azurerm_management_lock').map((name) => `${type}.${name}`));
    expect([...lock.depends_on].sort()).toEqual(everything.sort());
    expect(construct.moduleResources.lock).toBeDefined();

    // Role assignments: scoped to the primary resource, by name or by id.
    const assignments = ofSubject(json, 'azurerm_role_assignment').map(([, a]) => a).filter((a) => a.scope === primary);
    expect(assignments).toEqual(expect.arrayContaining([
      { scope: primary, principal_id: ADMINS, role_definition_name: 'Owner', principal_type: 'Group', description: 'platform team' },
      { scope: primary, principal_id: READERS, role_definition_id: '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7' },
    ]));
    expect(assignments).toHaveLength(2);
    expect(construct.moduleResources.roleAssignments).toHaveLength(2);

    // Diagnostic settings: a storage account and an event hub, besides any Log Analytics one.
    const settings = ofSubject(json, 'azurerm_monitor_diagnostic_setting').map(([, s]) => s).filter((s) => s.target_resource_id === primary);
    expect(settings).toEqual(expect.arrayContaining([
      expect.objectContaining({ storage_account_id: STORAGE, enabled_log: [{ category_group: 'allLogs' }], enabled_metric: [{ category: 'AllMetrics' }] }),
      expect.objectContaining({ name: 'to-siem', eventhub_authorization_rule_id: EVENT_HUB_RULE, eventhub_name: 'azure-logs', enabled_log: [{ category: 'AuditEvent' }] }),
    ]));
    expect(settings.find((s) => s.storage_account_id).name).toMatch(/^diag-.+-1$/);
    expect(construct.moduleResources.diagnosticSettings).toHaveLength(2);

    // Tags: on every resource the construct creates whose type takes tags.
    const tagged = Object.entries<any>(json.resource).filter(([type]) => taggable(type))
      .flatMap(([type, byName]) => Object.entries<any>(byName).filter(([name]) => name.startsWith('Subject_')).map(([name, r]) => [`${type}.${name}`, r.tags]));
    expect(tagged.length).toBeGreaterThan(0);
    expect(tagged.filter(([, tags]) => JSON.stringify(tags) !== JSON.stringify(TAGS)).map(([address]) => address)).toEqual([]);
  });

  test('creates none of them by default', () => {
    const { stack, construct } = build(kind);
    const json = synthStack(stack);
    expect(json.resource.azurerm_management_lock).toBeUndefined();
    expect(construct.moduleResources).toEqual({ lock: undefined, roleAssignments: [], diagnosticSettings: [] });
  });

  test('a role assignment keeps its Terraform address when another one is removed', () => {
    const one = { principalId: ADMINS, roleDefinitionIdOrName: 'Owner' };
    const two = { principalId: READERS, roleDefinitionIdOrName: 'Reader' };
    const addressOf = (list: typeof one[]) => {
      const json = synthStack(build(kind, { roleAssignments: list }).stack);
      return Object.entries<any>(json.resource.azurerm_role_assignment).find(([, a]) => a.principal_id === READERS)![0];
    };
    expect(addressOf([two])).toBe(addressOf([one, two]));
  });

  test('fails when a role assignment names no GUID principal', () => {
    expect(() => build(kind, { roleAssignments: [{ principalId: 'platform-admins', roleDefinitionIdOrName: 'Owner' }] }))
      .toThrow(new RegExp(`${kind} at 'platform/Subject': invalid 'roleAssignments\\[0\\]\\.principalId': got "platform-admins"; expected the object id of a user, group or service principal, a GUID`));
  });

  test('fails when a role is a bare GUID or a malformed id', () => {
    expect(() => build(kind, { roleAssignments: [{ principalId: ADMINS, roleDefinitionIdOrName: 'acdd72a7-3385-48ef-bd42-f606fba81ae7' }] }))
      .toThrow(/invalid 'roleAssignments\[0\]\.roleDefinitionIdOrName': got "acdd72a7-3385-48ef-bd42-f606fba81ae7"; expected a role name or a role definition id: write the GUID as "\/providers\/Microsoft.Authorization\/roleDefinitions\/acdd72a7/);
    expect(() => build(kind, { roleAssignments: [{ principalId: ADMINS, roleDefinitionIdOrName: '/providers/Microsoft.Authorization/roleDefinitions/reader' }] }))
      .toThrow(/invalid 'roleAssignments\[0\]\.roleDefinitionIdOrName': got "\/providers\/Microsoft.Authorization\/roleDefinitions\/reader"; expected a role definition id/);
  });

  test('fails when a principal gets one role twice', () => {
    expect(() => build(kind, {
      roleAssignments: [{ principalId: ADMINS, roleDefinitionIdOrName: 'Owner' }, { principalId: ADMINS.toUpperCase(), roleDefinitionIdOrName: 'owner' }],
    })).toThrow(/invalid 'roleAssignments\[1\]': got .*; each principal and role must be assigned once; roleAssignments\[0\] assigns it already/);
  });

  test('fails when a diagnostic setting has no destination, a wrong id or an event hub without its rule', () => {
    expect(() => build(kind, { diagnosticSettings: [{ logCategories: ['AuditEvent'] }] }))
      .toThrow(/invalid 'diagnosticSettings\[0\]': got .*; expected at least one destination: logAnalyticsWorkspaceId, storageAccountId or eventHubAuthorizationRuleId/);
    expect(() => build(kind, { diagnosticSettings: [{ storageAccountId: WORKSPACE }] }))
      .toThrow(/invalid 'diagnosticSettings\[0\]\.storageAccountId': got ".*"; expected a storage account resource id/);
    expect(() => build(kind, { diagnosticSettings: [{ storageAccountId: STORAGE, eventHubName: 'logs' }] }))
      .toThrow(/invalid 'diagnosticSettings\[0\]\.eventHubName': got "logs"; only used with eventHubAuthorizationRuleId/);
  });

  test('fails when two diagnostic settings send to one destination or share a name', () => {
    expect(() => build(kind, { diagnosticSettings: [{ storageAccountId: STORAGE }, { storageAccountId: STORAGE.toUpperCase(), logCategories: ['AuditEvent'] }] }))
      .toThrow(/invalid 'diagnosticSettings\[1\]\.storageAccountId': got ".*"; expected a destination no other diagnostic setting of this resource sends to \(diagnosticSettings\[0\] does\)/);
    expect(() => build(kind, { diagnosticSettings: [{ name: 'diag', storageAccountId: STORAGE }, { name: 'diag', logAnalyticsWorkspaceId: WORKSPACE }] }))
      .toThrow(/invalid 'diagnosticSettings\[1\]\.name': got "diag"; each diagnostic setting of a resource needs its own name/);
  });

  test('fails when more than 5 diagnostic settings are asked for', () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ storageAccountId: `${SUB}/resourceGroups/rg-ops/providers/Microsoft.Storage/storageAccounts/stlogs${i}` }));
    expect(() => build(kind, { diagnosticSettings: six })).toThrow(/invalid 'diagnosticSettings': got "6 settings"; expected at most 5 \(Azure allows 5 diagnostic settings per resource/);
  });

  test('fails when the lock has a bad level or name', () => {
    expect(() => build(kind, { lock: { level: 'Delete' as LockLevel } }))
      .toThrow(/invalid 'lock.level': got "Delete"; expected LockLevel.CAN_NOT_DELETE or LockLevel.READ_ONLY/);
    expect(() => build(kind, { lock: { level: LockLevel.CAN_NOT_DELETE, name: 'keep/me' } }))
      .toThrow(/invalid 'lock.name': got "keep\/me"; expected 1-260 characters without/);
  });

  test('fails when a tag name is not allowed', () => {
    expect(() => build(kind, { tags: { 'cost/center': 'shop' } })).toThrow(new RegExp(`${kind} at 'platform/Subject': invalid 'tags': got "cost/center"`));
  });
});

describe('ReadOnly locks', () => {
  test('SecureEdge takes one: the gateway is frozen, created after its role assignments and diagnostic settings', () => {
    const { stack } = build('SecureEdge', {
      lock: { level: LockLevel.READ_ONLY, name: 'freeze-edge', notes: 'change freeze' },
      roleAssignments: [{ principalId: READERS, roleDefinitionIdOrName: 'Reader' }],
      diagnosticSettings: [{ storageAccountId: STORAGE }],
    });
    expectValidStack(stack);
    const json = synthStack(stack);
    const [[, lock]] = ofSubject(json, 'azurerm_management_lock');
    expect(lock).toMatchObject({ name: 'freeze-edge', lock_level: 'ReadOnly', notes: 'change freeze', scope: primaryRef(json, 'SecureEdge') });
    expect(lock.depends_on).toEqual(expect.arrayContaining([
      `azurerm_role_assignment.${ofSubject(json, 'azurerm_role_assignment').find(([, a]) => a.principal_id === READERS)![0]}`,
      `azurerm_monitor_diagnostic_setting.${ofSubject(json, 'azurerm_monitor_diagnostic_setting')[0][0]}`,
    ]));
  });

  test.each([
    ['MeshCluster', /lists the cluster's user credentials with a POST at every refresh/],
    ['ApiGovernance', /reads API Management's tenant access secrets with a POST at every refresh/],
    ['TieredNetwork', /also locks its subnets/],
  ] as Array<[Kind, RegExp]>)('fails when %s is given one', (kind, why) => {
    expect(() => build(kind, { lock: { level: LockLevel.READ_ONLY } }))
      .toThrow(new RegExp(`${kind} at 'platform/Subject': invalid 'lock.level': got "ReadOnly"; expected LockLevel.CAN_NOT_DELETE: `));
    expect(() => build(kind, { lock: { level: LockLevel.READ_ONLY } })).toThrow(why);
  });
});

describe('diagnostic settings beside logAnalyticsWorkspaceId', () => {
  test.each(['SecureEdge', 'ApiGovernance', 'MeshCluster'] as Kind[])('%s: a storage account is added to its Log Analytics setting', (kind) => {
    const { stack } = build(kind, { diagnosticSettings: [{ storageAccountId: STORAGE }] }, { logAnalyticsWorkspaceId: WORKSPACE });
    expectValidStack(stack);
    const json = synthStack(stack);
    const settings = ofSubject(json, 'azurerm_monitor_diagnostic_setting').map(([, s]) => s).filter((s) => s.target_resource_id === primaryRef(json, kind));
    expect(settings.map((s) => s.log_analytics_workspace_id ?? s.storage_account_id).sort()).toEqual([WORKSPACE, STORAGE].sort());
  });

  test.each(['SecureEdge', 'ApiGovernance', 'MeshCluster'] as Kind[])('%s: fails when a setting sends to the workspace of logAnalyticsWorkspaceId again', (kind) => {
    expect(() => build(kind, { diagnosticSettings: [{ logAnalyticsWorkspaceId: WORKSPACE }] }, { logAnalyticsWorkspaceId: WORKSPACE }))
      .toThrow(/invalid 'diagnosticSettings\[0\]\.logAnalyticsWorkspaceId': got ".*"; expected a destination no other diagnostic setting of this resource sends to \(the setting "diag-.*" of the logAnalyticsWorkspaceId prop does\)/);
  });

  test('fails when 5 settings come on top of the logAnalyticsWorkspaceId one', () => {
    const five = Array.from({ length: 5 }, (_, i) => ({ storageAccountId: `${STORAGE}${i}` }));
    expect(() => build('MeshCluster', { diagnosticSettings: five }, { logAnalyticsWorkspaceId: WORKSPACE }))
      .toThrow(/invalid 'diagnosticSettings': got "5 settings"; expected at most 4 \(Azure allows 5 diagnostic settings per resource, and the logAnalyticsWorkspaceId prop makes 1\)/);
  });
});

describe('bring-your-own identities', () => {
  test('MeshCluster: a user-assigned control plane identity, granted the subnet before the cluster exists', () => {
    const { stack } = build('MeshCluster', {}, { controlPlaneIdentity: { resourceId: IDENTITY, principalId: IDENTITY_PRINCIPAL } });
    expectValidStack(stack);
    const json = synthStack(stack);
    const [[clusterName, cluster]] = ofSubject(json, 'azurerm_kubernetes_cluster');
    expect(cluster.identity).toEqual({ type: 'UserAssigned', identity_ids: [IDENTITY] });
    const [[roleName, role]] = ofSubject(json, 'azurerm_role_assignment').filter(([, a]) => a.role_definition_name === 'Network Contributor');
    expect(role).toMatchObject({ principal_id: IDENTITY_PRINCIPAL, principal_type: 'ServicePrincipal' });
    expect(role.scope).toMatch(/azurerm_subnet\.Network_ComputeSubnet/);
    expect(cluster.depends_on).toContain(`azurerm_role_assignment.${roleName}`);
    // The Key Vault secrets provider keeps its own identity.
    const kv = ofSubject(json, 'azurerm_role_assignment').find(([, a]) => a.role_definition_name === 'Key Vault Secrets User')![1];
    expect(kv.principal_id).toContain(`azurerm_kubernetes_cluster.${clusterName}.key_vault_secrets_provider[0].secret_identity[0].object_id`);
  });

  test('MeshCluster: an identity created in the same stack (Terraform references) is accepted', () => {
    const stack = new TerraformStack(new App(), 'platform');
    const identity = new UserAssignedIdentity(stack, 'ControlPlane', { ...placement, name: 'id-aks' });
    const network = new TieredNetwork(stack, 'Network', placement);
    new MeshCluster(stack, 'Subject', {
      ...placement,
      subnet: network.computeSubnet,
      controlPlaneIdentity: { resourceId: identity.id, principalId: identity.principalId },
      roleAssignments: [{ principalId: identity.principalId, roleDefinitionIdOrName: 'Reader', principalType: PrincipalType.SERVICE_PRINCIPAL }],
    });
    expectValidStack(stack);
    const json = synthStack(stack);
    const [[, cluster]] = ofSubject(json, 'azurerm_kubernetes_cluster');
    expect(cluster.identity.identity_ids).toEqual(['${azurerm_user_assigned_identity.ControlPlane.id}']);
    const reader = ofSubject(json, 'azurerm_role_assignment').find(([, a]) => a.role_definition_name === 'Reader')!;
    expect(reader[0]).toMatch(/^Subject_RoleAssignment0_/);
    expect(reader[1].principal_id).toBe('${azurerm_user_assigned_identity.ControlPlane.principal_id}');
  });

  test('MeshCluster: a system-assigned identity by default', () => {
    const json = synthStack(build('MeshCluster').stack);
    const [[clusterName, cluster]] = ofSubject(json, 'azurerm_kubernetes_cluster');
    expect(cluster.identity).toEqual({ type: 'SystemAssigned' });
    const role = ofSubject(json, 'azurerm_role_assignment').find(([, a]) => a.role_definition_name === 'Network Contributor')![1];
    expect(role.principal_id).toBe(`\${azurerm_kubernetes_cluster.${clusterName}.identity[0].principal_id}`);
  });

  test('MeshCluster: fails when the control plane identity has no principal id or a wrong resource id', () => {
    expect(() => build('MeshCluster', {}, { controlPlaneIdentity: { resourceId: IDENTITY } }))
      .toThrow(/MeshCluster at 'platform\/Subject': invalid 'controlPlaneIdentity.principalId': got undefined; required: the construct grants the identity the roles it needs/);
    expect(() => build('MeshCluster', {}, { controlPlaneIdentity: { resourceId: STORAGE, principalId: IDENTITY_PRINCIPAL } }))
      .toThrow(/invalid 'controlPlaneIdentity.resourceId': got ".*"; expected the resource id of a user-assigned identity/);
    expect(() => build('MeshCluster', {}, { controlPlaneIdentity: { resourceId: IDENTITY, principalId: 'id-aks' } }))
      .toThrow(/invalid 'controlPlaneIdentity.principalId': got "id-aks"; expected the principal \(object\) id of the identity, a GUID/);
  });

  test('ApiGovernance: user-assigned identities beside the system-assigned one', () => {
    const other = IDENTITY.replace('id-aks', 'id-apim');
    const { stack } = build('ApiGovernance', {}, { userAssignedIdentities: [{ resourceId: other }] });
    expectValidStack(stack);
    const [[, apim]] = ofSubject(synthStack(stack), 'azurerm_api_management');
    expect(apim.identity).toEqual({ type: 'SystemAssigned, UserAssigned', identity_ids: [other] });
  });

  test('ApiGovernance: fails when an identity is listed twice or is not an identity', () => {
    expect(() => build('ApiGovernance', {}, { userAssignedIdentities: [{ resourceId: IDENTITY }, { resourceId: IDENTITY.toUpperCase() }] }))
      .toThrow(/invalid 'userAssignedIdentities': got ".*"; each value must be unique/);
    expect(() => build('ApiGovernance', {}, { userAssignedIdentities: [{ resourceId: STORAGE }] }))
      .toThrow(/invalid 'userAssignedIdentities\[0\]\.resourceId': got ".*"; expected the resource id of a user-assigned identity/);
  });
});

describe('the README section on the Azure module interface', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The Azure module interface'));
  const snippet = /```ts\n([\s\S]*?)```/.exec(section)![1];

  test('its snippet synthesizes a valid stack with what it says', () => {
    const code = ts.transpileModule(snippet, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 } }).outputText;
    // The snippet imports only cdktf and this library.
    const modules: Record<string, unknown> = { 'cdktf': cdktf, 'cdktf-azure-gateway-mesh': lib };
    const load = (name: string) => {
      if (!(name in modules)) throw new Error(`the README snippet imports ${name}`);
      return modules[name];
    };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const { platform } = new Function('require', 'exports', `${code}\nreturn { platform };`)(load, {});
    expectValidStack(platform);
    const json = synthStack(platform);
    expect(Object.values<any>(json.resource.azurerm_management_lock).map((l) => l.lock_level)).toEqual(['CanNotDelete', 'CanNotDelete']);
    expect(Object.values<any>(json.resource.azurerm_role_assignment))
      .toContainEqual(expect.objectContaining({ role_definition_name: 'Azure Kubernetes Service RBAC Cluster Admin', principal_type: 'Group' }));
    expect(Object.values<any>(json.resource.azurerm_virtual_network)[0].tags).toEqual({ costCenter: 'shop' });
    expect(Object.values<any>(json.resource.azurerm_kubernetes_cluster)[0].identity.type).toBe('UserAssigned');
    expect(Object.values<any>(json.resource.azurerm_monitor_diagnostic_setting).filter((s) => s.storage_account_id)).toHaveLength(1);
  });
});
