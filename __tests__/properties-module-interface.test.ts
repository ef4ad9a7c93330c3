// Property-based test of the Azure module interface props (lock, roleAssignments, diagnosticSettings,
// tags): the same generated prop sets on TieredNetwork and SecureEdge either synthesize a stack that
// validates against the provider schemas and passes the policy pack, or throw the library's error
// naming the prop.
import * as fc from 'fast-check';
import {
  AzureModuleProps, DiagnosticDestination, ISubnet, LockLevel, PolicySuppressions, PrincipalType, RoleAssignmentOptions, SecureEdge, TieredNetwork,
} from '../lib';
import { assertConstructProperty, optional } from './support/properties';

// Each field is valid most of the time; the invalid values are typed as the valid ones, as users reach
// them through casts, JSON or JavaScript.
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<unknown>, weight = 20): fc.Arbitrary<T> =>
  fc.oneof({ arbitrary: valid, weight }, { arbitrary: invalid as fc.Arbitrary<T>, weight: 1 });

const SUB = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers';
const guid = fc.uuid({ version: 4 });
const roleName = fc.constantFrom('Reader', 'Owner', 'Network Contributor', 'Azure Kubernetes Service RBAC Cluster Admin', 'Monitoring Reader');
const roleId = fc.constantFrom('acdd72a7-3385-48ef-bd42-f606fba81ae7', 'b24988ac-6180-42a0-ab88-20f7382dd24c')
  .chain((id) => fc.constantFrom(`/providers/Microsoft.Authorization/roleDefinitions/${id}`,
    `/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/${id}`));

const roleAssignment: fc.Arbitrary<RoleAssignmentOptions> = fc.record({
  principalId: mostly(guid, fc.constantFrom('', 'admins', 42, null, '11111111-1111-1111-1111-11111111111')),
  roleDefinitionIdOrName: mostly(fc.oneof(roleName, roleId),
    fc.constantFrom('', ' Reader', 'acdd72a7-3385-48ef-bd42-f606fba81ae7', '/providers/Microsoft.Authorization/roleDefinitions/x', 7, undefined)),
  principalType: optional(mostly(fc.constantFrom(...Object.values(PrincipalType)), fc.constantFrom('user', 'Device', 3))),
  description: optional(mostly(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('', 'x'.repeat(1025)))),
}, { requiredKeys: ['principalId', 'roleDefinitionIdOrName'] });

const destination: fc.Arbitrary<DiagnosticDestination> = fc.record({
  name: optional(mostly(fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/), fc.constantFrom('', '-x', 'a/b', 'x'.repeat(65), 5))),
  logAnalyticsWorkspaceId: optional(mostly(fc.constantFrom('a', 'b').map((n) => `${SUB}/Microsoft.OperationalInsights/workspaces/law-${n}`),
    fc.constantFrom('', 'law-a', `${SUB}/Microsoft.Storage/storageAccounts/stlogs`))),
  storageAccountId: optional(mostly(fc.constantFrom('stlogsa', 'stlogsb').map((n) => `${SUB}/Microsoft.Storage/storageAccounts/${n}`),
    fc.constantFrom('stlogs', `${SUB}/Microsoft.Storage/storageAccounts/st-logs`, {}))),
  eventHubAuthorizationRuleId: optional(mostly(fc.constant(`${SUB}/Microsoft.EventHub/namespaces/evhns/authorizationRules/send`),
    fc.constantFrom(`${SUB}/Microsoft.EventHub/namespaces/evhns`, 'send'))),
  eventHubName: optional(mostly(fc.constantFrom('logs', 'audit'), fc.constantFrom('', '-logs', 9))),
  logCategories: optional(mostly(fc.uniqueArray(fc.constantFrom('AuditEvent', 'ApplicationGatewayAccessLog', 'kube-audit'), { minLength: 1, maxLength: 3 }),
    fc.constantFrom([], ['AuditEvent', 'AuditEvent'], 'AuditEvent', [''], ['a b']))),
}, { requiredKeys: [] });

const moduleProps: fc.Arbitrary<AzureModuleProps & { tags?: { [key: string]: string } }> = fc.record({
  lock: optional(mostly(fc.record({
    level: mostly(fc.constantFrom(...Object.values(LockLevel)), fc.constantFrom('Delete', 'readonly', undefined)),
    name: optional(mostly(fc.stringMatching(/^[a-z][a-z0-9-]{0,30}$/), fc.constantFrom('', 'a/b', 'x:y', 'x'.repeat(261)))),
    notes: optional(mostly(fc.string({ maxLength: 80 }), fc.constant('n'.repeat(513)))),
  }, { requiredKeys: ['level'] }), fc.constantFrom('CanNotDelete', null, 1))),
  roleAssignments: optional(mostly(fc.array(roleAssignment, { maxLength: 4 }), fc.constantFrom('Reader', {}, [null]))),
  diagnosticSettings: optional(mostly(fc.array(destination, { maxLength: 6 }), fc.constantFrom('x', {}, [7]))),
  tags: optional(mostly(fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 4 }),
    fc.constantFrom({ 'a/b': 'x' }, { env: 'x'.repeat(257) }, ['env']))),
}, { requiredKeys: [] });

const NAMES = ['lock', 'roleAssignments', 'diagnosticSettings', 'tags'];
const VNET = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-shop/providers/Microsoft.Network/virtualNetworks/vnet';
const edgeSubnet: ISubnet = {
  subnetId: `${VNET}/subnets/snet-edge`,
  subnetName: 'snet-edge',
  addressPrefix: '10.0.0.0/24',
  virtualNetworkId: VNET,
  virtualNetworkName: 'vnet',
  virtualNetworkAddressSpace: ['10.0.0.0/16'],
};
const placement = { resourceGroupName: 'rg-shop', location: 'westeurope' };

test('TieredNetwork: 500 module interface prop sets synthesize valid stacks or are rejected naming the prop', () => {
  const counts = assertConstructProperty(moduleProps, NAMES, (stack, props) => {
    const network = new TieredNetwork(stack, 'Network', { ...placement, ...props });
    PolicySuppressions.add(network, [{ id: 'AGM-AZ-007', reason: 'the constructs deployed into the subnets create their NSGs; none is built here' }]);
  }, 500);
  expect(counts.synthesized).toBeGreaterThan(50);
  expect(counts.rejected).toBeGreaterThan(50);
});

test('SecureEdge: 200 module interface prop sets synthesize valid stacks or are rejected naming the prop', () => {
  const counts = assertConstructProperty(moduleProps, NAMES, (stack, props) => {
    new SecureEdge(stack, 'Edge', {
      ...placement,
      ...props,
      subnet: edgeSubnet,
      backend: { gatewayHostName: 'apim-shop.azure-api.net', privateIpAddresses: ['10.0.1.5'], healthProbePath: '/status-0123456789abcdef' },
      listeners: [{ id: 'api', hostNames: ['api.shop.example'], certificateSecretId: 'https://kv-shop.vault.azure.net/secrets/edge-tls' }],
    });
  }, 200);
  expect(counts.synthesized).toBeGreaterThan(20);
  expect(counts.rejected).toBeGreaterThan(20);
});
