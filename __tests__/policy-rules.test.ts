// Every rule of the policy pack on raw provider resources: at least one compliant and one
// non-compliant fixture each, judged through the same resolution the pack uses at synth time.
import { ApiManagement, ApiManagementConfig } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementBackend } from '@cdktf/provider-azurerm/lib/api-management-backend';
import { ApiManagementNamedValue } from '@cdktf/provider-azurerm/lib/api-management-named-value';
import { ApplicationGateway, ApplicationGatewayConfig } from '@cdktf/provider-azurerm/lib/application-gateway';
import { KeyVault, KeyVaultConfig } from '@cdktf/provider-azurerm/lib/key-vault';
import { KeyVaultCertificate } from '@cdktf/provider-azurerm/lib/key-vault-certificate';
import { KubernetesCluster, KubernetesClusterConfig } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { MonitorActionGroup } from '@cdktf/provider-azurerm/lib/monitor-action-group';
import { MonitorAlertPrometheusRuleGroup, MonitorAlertPrometheusRuleGroupRule } from '@cdktf/provider-azurerm/lib/monitor-alert-prometheus-rule-group';
import { MonitorMetricAlert } from '@cdktf/provider-azurerm/lib/monitor-metric-alert';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { WebApplicationFirewallPolicy, WebApplicationFirewallPolicyConfig } from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';
import { Release } from '@cdktf/provider-helm/lib/release';
import { DataKubernetesServiceV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-service-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { HorizontalPodAutoscalerV2 } from '@cdktf/provider-kubernetes/lib/horizontal-pod-autoscaler-v2';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { App, Fn, Op, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { GatewayMeshChecks, IPolicyRule, RuleResult } from '../lib/policy';
import { PolicyIndex, ResourceContext } from '../lib/policy/private/context';
import { isPinnedImage } from '../lib/policy/rules';

type Fixture = (scope: Construct) => TerraformResource;
const placement = { resourceGroupName: 'rg', location: 'westeurope' };
const sub = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers';

/** Judges the resource a fixture returns, with every other resource of its app as context. */
function judge(ruleId: string, fixture: Fixture): RuleResult {
  const rule = GatewayMeshChecks.builtInRules().find((r) => r.id === ruleId) as IPolicyRule;
  const app = new App();
  const target = fixture(new TerraformStack(app, 'test'));
  const index = new PolicyIndex(app);
  const resource = index.resourceOf(target);
  if (!resource) throw new Error('fixture resource did not resolve');
  expect(rule.resourceTypes).toContain(resource.type);
  return rule.evaluate(resource.config, new ResourceContext(index, resource));
}

// ---------- Deployment-order fixtures: a vault, an identity with its role, a wait ----------

/** A gateway reading `edge-tls` from a vault of the same stack through its identity, wired by `wire`. */
function gatewayReadingVault(s: Construct, wire: { wait?: boolean; certificate?: boolean; endpoint?: 'none' | 'unordered' | 'ordered'; vaultPublic?: boolean } = {}) {
  const vault = keyVault(s, { publicNetworkAccessEnabled: wire.vaultPublic ?? false });
  const identity = new UserAssignedIdentity(s, 'Identity', { ...placement, name: 'id-agw' });
  const role = new RoleAssignment(s, 'Role', { scope: vault.id, roleDefinitionName: 'Key Vault Secrets User', principalId: identity.principalId });
  const dependsOn: TerraformResource[] = [];
  if (wire.wait) dependsOn.push(new Sleep(s, 'Wait', { createDuration: '5m', dependsOn: [role] }));
  if (wire.certificate) {
    dependsOn.push(new KeyVaultCertificate(s, 'Certificate', {
      name: 'edge-tls',
      keyVaultId: vault.id,
      certificatePolicy: { issuerParameters: { name: 'Self' }, keyProperties: { exportable: true, keyType: 'RSA', keySize: 2048, reuseKey: false }, secretProperties: { contentType: 'application/x-pkcs12' } },
    }));
  }
  if (wire.endpoint && wire.endpoint !== 'none') {
    const endpoint = new PrivateEndpoint(s, 'Endpoint', {
      ...placement,
      name: 'pe-kv',
      subnetId: `${sub}/Microsoft.Network/virtualNetworks/vnet/subnets/compute`,
      privateServiceConnection: { name: 'psc', privateConnectionResourceId: vault.id, subresourceNames: ['vault'], isManualConnection: false },
    });
    if (wire.endpoint === 'ordered') dependsOn.push(endpoint);
  }
  return appGateway(s, {
    identity: { type: 'UserAssigned', identityIds: [identity.id] },
    sslCertificate: [{ name: 'cert', keyVaultSecretId: `${vault.vaultUri}secrets/edge-tls` }],
    dependsOn,
  });
}

/** A Key Vault-backed named value of an API Management service whose identity is granted the vault, wired by `wait`. */
function apimNamedValueFromVault(s: Construct, wait: boolean) {
  const service = apim(s);
  const role = new RoleAssignment(s, 'Role', { scope: `${sub}/Microsoft.KeyVault/vaults/kv`, roleDefinitionName: 'Key Vault Secrets User', principalId: service.identity.principalId });
  const dependsOn: TerraformResource[] = wait ? [new Sleep(s, 'Wait', { createDuration: '5m', dependsOn: [role] })] : [role];
  return new ApiManagementNamedValue(s, 'NamedValue', {
    name: 'api-key',
    resourceGroupName: 'rg',
    apiManagementName: service.name,
    displayName: 'api-key',
    secret: true,
    valueFromKeyVault: { secretId: 'https://kv.vault.azure.net/secrets/api-key' },
    dependsOn,
  });
}

/** An AKS cluster whose user-assigned control-plane identity is granted the subnet, with or without the wait. */
function clusterWithIdentity(s: Construct, wait: boolean) {
  const identity = new UserAssignedIdentity(s, 'Identity', { ...placement, name: 'id-aks' });
  const role = new RoleAssignment(s, 'Role', { scope: `${sub}/Microsoft.Network/virtualNetworks/vnet/subnets/compute`, roleDefinitionName: 'Network Contributor', principalId: identity.principalId });
  const dependsOn: TerraformResource[] = wait ? [role, new Sleep(s, 'Wait', { createDuration: '5m', dependsOn: [role] })] : [role];
  return cluster(s, { identity: { type: 'UserAssigned', identityIds: [identity.id] }, dependsOn }, { vnetSubnetId: `${sub}/Microsoft.Network/virtualNetworks/vnet/subnets/compute` });
}

/** A DNS record of an ingress gateway Service's load balancer IP, written `guarded` or with a bare index. */
function gatewayIpRecord(s: Construct, guarded: boolean, precondition = guarded) {
  const service = new DataKubernetesServiceV1(s, 'GatewayService', { metadata: { name: 'gw', namespace: 'istio' } });
  const ip = service.status.get(0).loadBalancer.get(0).ingress.get(0).ip;
  const value = guarded ? Fn.try([ip, '']) : ip;
  return new PrivateDnsARecord(s, 'Record', {
    name: '*',
    zoneName: 'mesh.internal',
    resourceGroupName: 'rg',
    ttl: 300,
    records: [value],
    lifecycle: precondition ? { precondition: [{ condition: Op.gte(Fn.lengthOf(value), 1), errorMessage: 'no IP yet' }] } : undefined,
  });
}

// ---------- Azure fixtures: secure by default, each case changes one thing ----------

const wafPolicy = (s: Construct, o: Partial<WebApplicationFirewallPolicyConfig> = {}) => new WebApplicationFirewallPolicy(s, 'Waf', {
  ...placement,
  name: 'waf',
  policySettings: { enabled: true, mode: 'Prevention', requestBodyCheck: true },
  managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.2' }, { type: 'Microsoft_BotManagerRuleSet', version: '1.0' }] },
  ...o,
});

function network(s: Construct, name = 'snet-edge') {
  const subnet = new Subnet(s, `Subnet-${name}`, { ...placement, name, virtualNetworkName: 'vnet', addressPrefixes: ['10.0.0.0/24'] });
  return subnet;
}

function nsgFor(s: Construct, subnet: Subnet, rules: NetworkSecurityGroupSecurityRule[], id = 'Nsg') {
  const nsg = new NetworkSecurityGroup(s, id, { ...placement, name: `nsg-${id}`, securityRule: rules });
  new SubnetNetworkSecurityGroupAssociation(s, `${id}Association`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
  return nsg;
}

const allow = (name: string, priority: number, source: string, port: string, direction = 'Inbound', access = 'Allow'): NetworkSecurityGroupSecurityRule => ({
  name, priority, direction, access, protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: port, sourceAddressPrefix: source, destinationAddressPrefix: 'VirtualNetwork',
});

const APIM_HOST = 'apim-x.azure-api.net';
const appGateway = (s: Construct, o: Partial<ApplicationGatewayConfig> = {}, subnetId = `${sub}/Microsoft.Network/virtualNetworks/vnet/subnets/edge`) => new ApplicationGateway(s, 'Gateway', {
  ...placement,
  name: 'agw',
  sku: { name: 'WAF_v2', tier: 'WAF_v2' },
  autoscaleConfiguration: { minCapacity: 1, maxCapacity: 3 },
  firewallPolicyId: `${sub}/Microsoft.Network/applicationGatewayWebApplicationFirewallPolicies/waf`,
  gatewayIpConfiguration: [{ name: 'gateway', subnetId }],
  frontendIpConfiguration: [{ name: 'public', publicIpAddressId: `${sub}/Microsoft.Network/publicIPAddresses/pip` }],
  frontendPort: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }],
  sslCertificate: [{ name: 'cert', keyVaultSecretId: 'https://kv.vault.azure.net/secrets/cert' }],
  identity: { type: 'UserAssigned', identityIds: [`${sub}/Microsoft.ManagedIdentity/userAssignedIdentities/agw`] },
  httpListener: [
    { name: 'https', frontendIpConfigurationName: 'public', frontendPortName: 'https', protocol: 'Https', sslCertificateName: 'cert' },
    { name: 'http', frontendIpConfigurationName: 'public', frontendPortName: 'http', protocol: 'Http' },
  ],
  backendAddressPool: [{ name: 'apim', fqdns: [APIM_HOST] }],
  backendHttpSettings: [{ name: 'apim', cookieBasedAffinity: 'Disabled', port: 443, protocol: 'Https', hostName: APIM_HOST, probeName: 'apim' }],
  probe: [{ name: 'apim', protocol: 'Https', path: '/status-0123456789abcdef', host: APIM_HOST, interval: 30, timeout: 30, unhealthyThreshold: 3 }],
  redirectConfiguration: [{ name: 'to-https', redirectType: 'Permanent', targetListenerName: 'https', includePath: true, includeQueryString: true }],
  requestRoutingRule: [
    { name: 'api', ruleType: 'Basic', priority: 100, httpListenerName: 'https', backendAddressPoolName: 'apim', backendHttpSettingsName: 'apim' },
    { name: 'redirect', ruleType: 'Basic', priority: 200, httpListenerName: 'http', redirectConfigurationName: 'to-https' },
  ],
  sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' },
  ...o,
});

const keyVault = (s: Construct, o: Partial<KeyVaultConfig> = {}) => new KeyVault(s, 'Vault', {
  ...placement,
  name: 'kv-mesh',
  tenantId: '00000000-0000-0000-0000-000000000000',
  skuName: 'standard',
  purgeProtectionEnabled: true,
  softDeleteRetentionDays: 90,
  rbacAuthorizationEnabled: true,
  networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices' },
  ...o,
});

const cluster = (s: Construct, o: Partial<KubernetesClusterConfig> = {}, pool: Partial<KubernetesClusterConfig['defaultNodePool']> = {}) => new KubernetesCluster(s, 'Cluster', {
  ...placement,
  name: 'aks',
  dnsPrefix: 'aks',
  skuTier: 'Standard',
  privateClusterEnabled: true,
  localAccountDisabled: true,
  azurePolicyEnabled: true,
  oidcIssuerEnabled: true,
  workloadIdentityEnabled: true,
  automaticUpgradeChannel: 'patch',
  nodeOsUpgradeChannel: 'NodeImage',
  roleBasedAccessControlEnabled: true,
  azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId: '00000000-0000-0000-0000-000000000000' },
  identity: { type: 'SystemAssigned' },
  defaultNodePool: { name: 'system', vmSize: 'Standard_D4ds_v5', nodeCount: 3, maxPods: 110, onlyCriticalAddonsEnabled: true, hostEncryptionEnabled: true, zones: ['1', '2', '3'], ...pool },
  networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', networkPolicy: 'cilium', networkDataPlane: 'cilium' },
  keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: '2m' },
  serviceMeshProfile: { mode: 'Istio', revisions: ['asm-1-26'], internalIngressGatewayEnabled: true, externalIngressGatewayEnabled: false },
  ...o,
});

const nodePool = (s: Construct, clusterId: string, o: { maxPods?: number; hostEncryptionEnabled?: boolean; nodePublicIpEnabled?: boolean } = {}) =>
  new KubernetesClusterNodePool(s, 'UserPool', { name: 'user', kubernetesClusterId: clusterId, vmSize: 'Standard_D4ds_v5', mode: 'User', maxPods: 110, hostEncryptionEnabled: true, ...o });

const apim = (s: Construct, o: Partial<ApiManagementConfig> = {}, subnetId = `${sub}/Microsoft.Network/virtualNetworks/vnet/subnets/api`) => new ApiManagement(s, 'Apim', {
  ...placement,
  name: 'apim-x',
  publisherName: 'Platform',
  publisherEmail: 'platform@example.com',
  skuName: 'Developer_1',
  virtualNetworkType: 'Internal',
  virtualNetworkConfiguration: { subnetId },
  identity: { type: 'SystemAssigned' },
  ...o,
});

// ---------- Kubernetes fixtures ----------

interface WorkloadOptions {
  readonly namespace?: string;
  readonly replicas?: string;
  readonly pod?: { [key: string]: any };
  readonly container?: { [key: string]: any };
  readonly podLabels?: { [key: string]: string };
}

const secureContainer = {
  name: 'app',
  image: 'ghcr.io/example/orders:1.4.2',
  securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
  livenessProbe: { httpGet: { path: '/healthz', port: '8080' } },
  readinessProbe: { httpGet: { path: '/ready', port: '8080' } },
};

/** A typed kubernetes_deployment_v1 meeting every workload rule. */
const deployment = (s: Construct, o: WorkloadOptions = {}) => new DeploymentV1(s, 'Deployment', {
  metadata: { name: 'orders', ...(o.namespace === '' ? {} : { namespace: o.namespace ?? 'shop' }) },
  spec: {
    replicas: o.replicas ?? '2',
    selector: { matchLabels: { app: 'orders' } },
    template: {
      metadata: { labels: o.podLabels ?? { app: 'orders' } },
      spec: {
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: '10001', seccompProfile: { type: 'RuntimeDefault' } },
        container: [{ ...secureContainer, ...o.container } as any],
        ...o.pod,
      },
    },
  },
});

/** The same workload as a kubernetes_manifest (camelCase API object). */
const manifestDeployment = (s: Construct, o: WorkloadOptions = {}) => new Manifest(s, 'ManifestDeployment', {
  manifest: {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'orders', namespace: o.namespace ?? 'shop' },
    spec: {
      replicas: Number(o.replicas ?? '2'),
      selector: { matchLabels: { app: 'orders' } },
      template: {
        metadata: { labels: o.podLabels ?? { app: 'orders' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'app',
            image: 'ghcr.io/example/orders:1.4.2',
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            livenessProbe: { httpGet: { path: '/healthz', port: 8080 } },
            readinessProbe: { httpGet: { path: '/ready', port: 8080 } },
            ...o.container,
          }],
          ...o.pod,
        },
      },
    },
  },
});

const pdb = (s: Construct, labels = { app: 'orders' }, namespace = 'shop') => new PodDisruptionBudgetV1(s, 'Budget', {
  metadata: { name: 'orders', namespace }, spec: { maxUnavailable: '1', selector: { matchLabels: labels } },
});

let istioCount = 0;
const istio = (s: Construct, kind: string, namespace: string, spec: { [key: string]: any } | undefined, group = 'security.istio.io') => new Manifest(s, `${kind}${istioCount++}`, {
  manifest: { apiVersion: `${group}/v1`, kind, metadata: { name: `${kind.toLowerCase()}-${istioCount}`, namespace }, ...(spec === undefined ? {} : { spec }) },
});

const namespace = (s: Construct, name: string, labels: { [key: string]: string }) => new NamespaceV1(s, `Namespace-${name}`, { metadata: { name, labels } });

const istioGatewayRelease = (s: Construct, o: { set?: Array<{ name: string; value: string }>; values?: string[] } = {}) => new Release(s, 'IngressGateway', {
  name: 'istio-ingress', chart: 'gateway', repository: 'https://istio-release.storage.googleapis.com/charts', version: '1.26.8', namespace: 'istio-ingress', ...o,
});

// ---------- The cases ----------

interface Case {
  readonly compliant: Fixture[];
  readonly nonCompliant: Fixture[];
}

/** Metric alerts on a resource's metrics, notifying an action group unless told otherwise. */
interface AlertFixtureOptions { enabled?: boolean; dynamic?: boolean; noAction?: boolean }
function metricAlerts(s: Construct, target: TerraformResource, metrics: string[], o: AlertFixtureOptions = {}): MonitorMetricAlert {
  const id = `Alert-${target.node.id}-${metrics.join('-')}`;
  const group = new MonitorActionGroup(s, `${id}-Group`, { name: 'ag', resourceGroupName: 'rg', shortName: 'ag', emailReceiver: [{ name: 'ops', emailAddress: 'ops@example.com' }] });
  const criterion = (metricName: string) => ({ metricNamespace: 'ns', metricName, aggregation: 'Average', operator: 'GreaterThan' });
  return new MonitorMetricAlert(s, id, {
    name: id,
    resourceGroupName: 'rg',
    scopes: [target.getStringAttribute('id')],
    enabled: o.enabled,
    criteria: o.dynamic ? undefined : metrics.map((m) => ({ ...criterion(m), threshold: 0 })),
    dynamicCriteria: o.dynamic ? { ...criterion(metrics[0]), alertSensitivity: 'Medium' } : undefined,
    action: o.noAction ? undefined : [{ actionGroupId: group.id }],
  });
}

const prometheusGroup = (s: Construct, rule: MonitorAlertPrometheusRuleGroupRule[]) => new MonitorAlertPrometheusRuleGroup(s, 'RuleGroup', {
  ...placement, name: 'rules', scopes: ['/subscriptions/x/resourceGroups/rg/providers/Microsoft.Monitor/accounts/amw'], rule,
});

const CASES: { [ruleId: string]: Case } = {
  'AGM-AZ-001': {
    compliant: [(s) => wafPolicy(s), (s) => wafPolicy(s, { policySettings: undefined })],
    nonCompliant: [
      (s) => wafPolicy(s, { policySettings: { enabled: true, mode: 'Detection' } }),
      (s) => wafPolicy(s, { policySettings: { enabled: false, mode: 'Prevention' } }),
      (s) => appGateway(s, { firewallPolicyId: undefined, wafConfiguration: { enabled: true, firewallMode: 'Detection', ruleSetVersion: '3.2' } }),
    ],
  },
  'AGM-AZ-002': {
    compliant: [(s) => wafPolicy(s), (s) => wafPolicy(s, { managedRules: { managedRuleSet: [{ type: 'Microsoft_DefaultRuleSet', version: '2.1' }] } })],
    nonCompliant: [
      (s) => wafPolicy(s, { managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.0' }] } }),
      (s) => wafPolicy(s, { managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.2', ruleGroupOverride: [{ ruleGroupName: 'REQUEST-944-APPLICATION-ATTACK-JAVA', rule: [{ id: '944240', enabled: false }] }] }] } }),
    ],
  },
  'AGM-AZ-003': {
    compliant: [(s) => appGateway(s), (s) => appGateway(s, { firewallPolicyId: undefined, wafConfiguration: { enabled: true, firewallMode: 'Prevention', ruleSetVersion: '3.2' } })],
    nonCompliant: [
      (s) => appGateway(s, { sku: { name: 'Standard_v2', tier: 'Standard_v2' } }),
      (s) => appGateway(s, { firewallPolicyId: undefined }),
    ],
  },
  'AGM-AZ-004': {
    compliant: [(s) => appGateway(s), (s) => appGateway(s, { sslPolicy: { policyType: 'CustomV2', minProtocolVersion: 'TLSv1_2', cipherSuites: ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384'] } })],
    nonCompliant: [
      (s) => appGateway(s, { sslPolicy: undefined }),
      (s) => appGateway(s, { sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20150501' } }),
      (s) => appGateway(s, { sslProfile: [{ name: 'legacy', sslPolicy: { policyType: 'Custom', minProtocolVersion: 'TLSv1_0' } }] }),
    ],
  },
  'AGM-AZ-005': {
    compliant: [(s) => appGateway(s)],
    nonCompliant: [(s) => appGateway(s, {
      requestRoutingRule: [{ name: 'plain', ruleType: 'Basic', priority: 100, httpListenerName: 'http', backendAddressPoolName: 'apim', backendHttpSettingsName: 'apim' }],
    })],
  },
  'AGM-AZ-006': {
    compliant: [(s) => new NetworkSecurityGroup(s, 'Nsg', { ...placement, name: 'nsg', securityRule: [allow('https', 100, 'Internet', '443'), allow('ssh-admin', 110, '203.0.113.0/24', '22')] })],
    nonCompliant: [
      (s) => new NetworkSecurityGroup(s, 'Nsg', { ...placement, name: 'nsg', securityRule: [allow('ssh', 100, '*', '22')] }),
      (s) => new NetworkSecurityRule(s, 'Rule', { ...placement, networkSecurityGroupName: 'nsg', name: 'rdp', priority: 100, direction: 'Inbound', access: 'Allow', protocol: '*', sourcePortRange: '*', destinationPortRanges: ['3000-4000'], sourceAddressPrefix: '0.0.0.0/0', destinationAddressPrefix: '*' }),
    ],
  },
  'AGM-AZ-007': {
    compliant: [
      (s) => { const subnet = network(s); nsgFor(s, subnet, []); return subnet; },
      (s) => new VirtualNetwork(s, 'Vnet', { ...placement, name: 'vnet', addressSpace: ['10.0.0.0/16'], subnet: [{ name: 'a', addressPrefixes: ['10.0.0.0/24'], securityGroup: `${sub}/Microsoft.Network/networkSecurityGroups/nsg` }] }),
    ],
    nonCompliant: [
      (s) => network(s),
      (s) => new VirtualNetwork(s, 'Vnet', { ...placement, name: 'vnet', addressSpace: ['10.0.0.0/16'], subnet: [{ name: 'a', addressPrefixes: ['10.0.0.0/24'] }] }),
    ],
  },
  'AGM-AZ-008': {
    compliant: [(s) => keyVault(s)],
    nonCompliant: [(s) => keyVault(s, { purgeProtectionEnabled: false }), (s) => keyVault(s, { purgeProtectionEnabled: undefined })],
  },
  'AGM-AZ-009': {
    compliant: [(s) => keyVault(s), (s) => keyVault(s, { rbacAuthorizationEnabled: undefined, enableRbacAuthorization: true })],
    nonCompliant: [(s) => keyVault(s, { rbacAuthorizationEnabled: undefined })],
  },
  'AGM-AZ-010': {
    compliant: [(s) => keyVault(s)],
    nonCompliant: [
      (s) => keyVault(s, { networkAcls: undefined }),
      (s) => keyVault(s, { networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' } }),
    ],
  },
  'AGM-AZ-011': {
    compliant: [(s) => cluster(s), (s) => cluster(s, { privateClusterEnabled: false, apiServerAccessProfile: { authorizedIpRanges: ['203.0.113.0/24'] } })],
    nonCompliant: [
      (s) => cluster(s, { privateClusterEnabled: false }),
      (s) => cluster(s, { privateClusterEnabled: undefined, apiServerAccessProfile: { authorizedIpRanges: ['0.0.0.0/0'] } }),
    ],
  },
  'AGM-AZ-012': { compliant: [(s) => cluster(s)], nonCompliant: [(s) => cluster(s, { localAccountDisabled: undefined })] },
  'AGM-AZ-013': {
    compliant: [(s) => cluster(s)],
    nonCompliant: [
      (s) => cluster(s, { azureActiveDirectoryRoleBasedAccessControl: undefined }),
      (s) => cluster(s, { roleBasedAccessControlEnabled: false }),
    ],
  },
  'AGM-AZ-014': { compliant: [(s) => cluster(s)], nonCompliant: [(s) => cluster(s, { azurePolicyEnabled: false })] },
  'AGM-AZ-015': {
    compliant: [(s) => cluster(s), (s) => cluster(s, { networkProfile: { networkPlugin: 'azure', networkPolicy: 'calico' } })],
    nonCompliant: [
      (s) => cluster(s, { networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay' } }),
      (s) => cluster(s, { networkProfile: undefined }),
    ],
  },
  'AGM-AZ-016': {
    compliant: [(s) => cluster(s)],
    nonCompliant: [
      (s) => cluster(s, { networkProfile: { networkPlugin: 'kubenet', networkPolicy: 'calico' } }),
      (s) => cluster(s, { networkProfile: undefined }),
    ],
  },
  'AGM-AZ-017': { compliant: [(s) => cluster(s)], nonCompliant: [(s) => cluster(s, { workloadIdentityEnabled: false }), (s) => cluster(s, { oidcIssuerEnabled: undefined })] },
  'AGM-AZ-018': {
    compliant: [(s) => cluster(s)],
    nonCompliant: [
      (s) => cluster(s, { keyVaultSecretsProvider: undefined }),
      (s) => cluster(s, { keyVaultSecretsProvider: { secretRotationEnabled: false } }),
    ],
  },
  'AGM-AZ-019': {
    compliant: [
      (s) => cluster(s),
      (s) => cluster(s, {}, { maxPods: undefined }),
      (s) => nodePool(s, cluster(s).id, { maxPods: undefined }),
    ],
    nonCompliant: [
      (s) => cluster(s, {}, { maxPods: 30 }),
      (s) => cluster(s, { networkProfile: { networkPlugin: 'azure', networkPolicy: 'azure' } }, { maxPods: undefined }),
      (s) => nodePool(s, cluster(s).id, { maxPods: 20 }),
    ],
  },
  'AGM-AZ-020': {
    compliant: [(s) => cluster(s), (s) => nodePool(s, cluster(s).id)],
    nonCompliant: [(s) => cluster(s, {}, { nodePublicIpEnabled: true }), (s) => nodePool(s, cluster(s).id, { nodePublicIpEnabled: true })],
  },
  'AGM-AZ-021': {
    compliant: [(s) => cluster(s), (s) => cluster(s, { nodeOsUpgradeChannel: undefined })],
    nonCompliant: [(s) => cluster(s, { automaticUpgradeChannel: undefined }), (s) => cluster(s, { nodeOsUpgradeChannel: 'None' })],
  },
  'AGM-AZ-022': { compliant: [(s) => cluster(s)], nonCompliant: [(s) => cluster(s, { skuTier: 'Free' }), (s) => cluster(s, { skuTier: undefined })] },
  'AGM-AZ-023': {
    compliant: [(s) => cluster(s), (s) => nodePool(s, cluster(s).id)],
    nonCompliant: [(s) => cluster(s, {}, { hostEncryptionEnabled: undefined }), (s) => nodePool(s, cluster(s).id, { hostEncryptionEnabled: false })],
  },
  'AGM-AZ-024': { compliant: [(s) => cluster(s)], nonCompliant: [(s) => cluster(s, {}, { onlyCriticalAddonsEnabled: false })] },
  'AGM-AZ-025': {
    compliant: [(s) => apim(s)],
    nonCompliant: [
      (s) => apim(s, { virtualNetworkType: 'External' }),
      (s) => apim(s, { virtualNetworkType: undefined, virtualNetworkConfiguration: undefined }),
    ],
  },
  'AGM-AZ-026': {
    compliant: [(s) => apim(s), (s) => apim(s, { security: { frontendTls10Enabled: false, tripleDesCiphersEnabled: false } })],
    nonCompliant: [(s) => apim(s, { security: { frontendTls11Enabled: true } }), (s) => apim(s, { security: { tripleDesCiphersEnabled: true } })],
  },
  'AGM-AZ-027': {
    compliant: [(s) => apim(s), (s) => apim(s, { identity: { type: 'UserAssigned', identityIds: [`${sub}/Microsoft.ManagedIdentity/userAssignedIdentities/apim`] } })],
    nonCompliant: [(s) => apim(s, { identity: undefined })],
  },
  'AGM-AZ-028': {
    compliant: [
      (s) => new ApiManagementNamedValue(s, 'Value', { ...placement, apiManagementName: 'apim-x', name: 'backend-key', displayName: 'backend-key', secret: true, valueFromKeyVault: { secretId: 'https://kv.vault.azure.net/secrets/backend-key' } }),
    ],
    nonCompliant: [
      (s) => new ApiManagementNamedValue(s, 'Value', { ...placement, apiManagementName: 'apim-x', name: 'signing', displayName: 'signing', secret: true, value: 'hunter2' }),
      (s) => new ApiManagementNamedValue(s, 'Value', { ...placement, apiManagementName: 'apim-x', name: 'backend-password', displayName: 'backend-password', value: 'hunter2' }),
    ],
  },
  'AGM-K8S-001': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s), (s) => deployment(s, { pod: { securityContext: { runAsUser: '10001' } }, container: { securityContext: { allowPrivilegeEscalation: false } } })],
    nonCompliant: [
      (s) => deployment(s, { pod: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }, container: { securityContext: { readOnlyRootFilesystem: true } } }),
      (s) => manifestDeployment(s, { container: { securityContext: { runAsUser: 0 } } }),
    ],
  },
  'AGM-K8S-002': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s)],
    nonCompliant: [
      (s) => deployment(s, { container: { securityContext: { allowPrivilegeEscalation: false } } }),
      (s) => manifestDeployment(s, { container: { securityContext: { readOnlyRootFilesystem: false } } }),
    ],
  },
  'AGM-K8S-003': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s)],
    nonCompliant: [
      (s) => deployment(s, { container: { securityContext: { readOnlyRootFilesystem: true } } }),
      (s) => manifestDeployment(s, { container: { securityContext: { allowPrivilegeEscalation: true } } }),
    ],
  },
  'AGM-K8S-004': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s, { container: { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } } })],
    nonCompliant: [
      (s) => deployment(s, { container: { securityContext: { allowPrivilegeEscalation: false } } }),
      (s) => manifestDeployment(s, { container: { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_ADMIN'] } } } }),
    ],
  },
  'AGM-K8S-005': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s, { pod: { securityContext: { runAsNonRoot: true } }, container: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } })],
    nonCompliant: [
      (s) => deployment(s, { pod: { securityContext: { runAsNonRoot: true } } }),
      (s) => manifestDeployment(s, { pod: { securityContext: { seccompProfile: { type: 'Unconfined' } } } }),
    ],
  },
  'AGM-K8S-006': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s)],
    nonCompliant: [
      (s) => deployment(s, { container: { resources: { requests: { cpu: '100m', memory: '128Mi' } } } }),
      (s) => manifestDeployment(s, { container: { resources: undefined } }),
    ],
  },
  'AGM-K8S-007': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s)],
    nonCompliant: [
      (s) => deployment(s, { container: { livenessProbe: undefined } }),
      (s) => manifestDeployment(s, { container: { readinessProbe: undefined } }),
    ],
  },
  'AGM-K8S-008': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s, { container: { image: `ghcr.io/example/orders@sha256:${'a'.repeat(64)}` } })],
    nonCompliant: [
      (s) => deployment(s, { container: { image: 'ghcr.io/example/orders:latest' } }),
      (s) => manifestDeployment(s, { container: { image: 'localhost:5000/orders' } }),
    ],
  },
  'AGM-K8S-009': {
    compliant: [
      (s) => deployment(s),
      (s) => {
        new HorizontalPodAutoscalerV2(s, 'Hpa', { metadata: { name: 'orders', namespace: 'shop' }, spec: { minReplicas: 2, maxReplicas: 5, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'orders' } } });
        return deployment(s, { replicas: '1' });
      },
    ],
    nonCompliant: [(s) => deployment(s, { replicas: '1' }), (s) => manifestDeployment(s, { replicas: '1' })],
  },
  'AGM-K8S-010': {
    compliant: [(s) => { pdb(s); return deployment(s); }, (s) => { pdb(s); return manifestDeployment(s); }],
    nonCompliant: [
      (s) => deployment(s),
      (s) => { pdb(s, { app: 'payments' }); return deployment(s); },
      (s) => { pdb(s, { app: 'orders' }, 'other'); return deployment(s); },
    ],
  },
  'AGM-K8S-011': {
    compliant: [(s) => deployment(s), (s) => istio(s, 'AuthorizationPolicy', 'shop', {})],
    nonCompliant: [
      (s) => deployment(s, { namespace: '' }),
      (s) => manifestDeployment(s, { namespace: 'default' }),
      (s) => new ServiceV1(s, 'Service', { metadata: { name: 'orders' }, spec: { selector: { app: 'orders' }, port: [{ port: 80 }] } }),
    ],
  },
  'AGM-K8S-012': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s)],
    nonCompliant: [
      (s) => deployment(s, { container: { securityContext: { privileged: true } } }),
      (s) => manifestDeployment(s, { container: { securityContext: { privileged: true } } }),
    ],
  },
  'AGM-K8S-013': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s)],
    nonCompliant: [
      (s) => deployment(s, { pod: { hostNetwork: true } }),
      (s) => manifestDeployment(s, { pod: { hostPID: true } }),
      (s) => deployment(s, { pod: { hostIpc: true } }),
    ],
  },
  'AGM-K8S-014': {
    compliant: [(s) => deployment(s), (s) => manifestDeployment(s)],
    nonCompliant: [
      (s) => deployment(s, { pod: { automountServiceAccountToken: true } }),
      (s) => manifestDeployment(s, { pod: { automountServiceAccountToken: undefined } }),
    ],
  },
  'AGM-IS-001': {
    compliant: [
      (s) => { istio(new TerraformStack(s.node.root as App, 'workloads'), 'PeerAuthentication', 'aks-istio-system', { mtls: { mode: 'STRICT' } }); return cluster(s); },
      (s) => {
        istio(s, 'PeerAuthentication', 'istio-system', { mtls: { mode: 'STRICT' } });
        return new Release(s, 'Istiod', { name: 'istiod', chart: 'istiod', repository: 'https://istio-release.storage.googleapis.com/charts', version: '1.26.8', namespace: 'istio-system' });
      },
    ],
    nonCompliant: [
      (s) => cluster(s),
      (s) => { istio(s, 'PeerAuthentication', 'aks-istio-system', { selector: { matchLabels: { app: 'x' } }, mtls: { mode: 'STRICT' } }); return cluster(s); },
      (s) => { istio(s, 'PeerAuthentication', 'aks-istio-system', { mtls: { mode: 'PERMISSIVE' } }); return cluster(s); },
      (s) => { istio(s, 'PeerAuthentication', 'shop', { mtls: { mode: 'STRICT' } }); return cluster(s); },
    ],
  },
  'AGM-IS-002': {
    compliant: [(s) => istio(s, 'PeerAuthentication', 'aks-istio-system', { mtls: { mode: 'STRICT' } }), (s) => istio(s, 'PeerAuthentication', 'shop', { mtls: { mode: 'UNSET' }, portLevelMtls: { 8080: { mode: 'STRICT' } } })],
    nonCompliant: [
      (s) => istio(s, 'PeerAuthentication', 'shop', { mtls: { mode: 'PERMISSIVE' } }),
      (s) => istio(s, 'PeerAuthentication', 'shop', { selector: { matchLabels: { app: 'legacy' } }, portLevelMtls: { 8080: { mode: 'DISABLE' } } }),
    ],
  },
  'AGM-IS-003': {
    compliant: [
      (s) => { istio(s, 'AuthorizationPolicy', 'shop', {}); return namespace(s, 'shop', { 'istio.io/rev': 'asm-1-26' }); },
      (s) => { istio(s, 'AuthorizationPolicy', 'shop', undefined); return deployment(s, { podLabels: { 'app': 'orders', 'sidecar.istio.io/inject': 'true' } }); },
      (s) => { istio(s, 'AuthorizationPolicy', 'aks-istio-system', {}); istio(s, 'DestinationRule', 'shop', {}, 'networking.istio.io'); return deployment(s); },
    ],
    nonCompliant: [
      (s) => namespace(s, 'shop', { 'istio-injection': 'enabled' }),
      (s) => { istio(s, 'AuthorizationPolicy', 'shop', { selector: { matchLabels: { app: 'orders' } } }); return namespace(s, 'shop', { 'istio.io/rev': 'asm-1-26' }); },
      (s) => { istio(s, 'AuthorizationPolicy', 'shop', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/a/sa/b'] } }] }] }); return deployment(s); },
      (s) => deployment(s, { podLabels: { 'app': 'orders', 'istio.io/rev': 'asm-1-26' } }),
    ],
  },
  'AGM-IS-004': {
    compliant: [
      (s) => istio(s, 'AuthorizationPolicy', 'shop', { action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/frontend'] } }], to: [{ operation: { methods: ['GET'] } }] }] }),
      (s) => istio(s, 'AuthorizationPolicy', 'aks-istio-ingress', { rules: [{ from: [{ source: { ipBlocks: ['10.0.1.0/24'] } }] }] }),
    ],
    nonCompliant: [
      (s) => istio(s, 'AuthorizationPolicy', 'shop', { rules: [{ from: [{ source: { namespaces: ['web'] } }] }] }),
      (s) => istio(s, 'AuthorizationPolicy', 'shop', { rules: [{ to: [{ operation: { methods: ['GET'] } }] }] }),
      (s) => istio(s, 'AuthorizationPolicy', 'shop', { rules: [{ from: [{ source: { principals: ['*'] } }] }] }),
    ],
  },
  'AGM-IS-005': {
    compliant: [(s) => istio(s, 'DestinationRule', 'shop', { host: 'orders.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } }, 'networking.istio.io')],
    nonCompliant: [
      (s) => istio(s, 'DestinationRule', 'shop', { host: 'orders', trafficPolicy: { tls: { mode: 'DISABLE' } } }, 'networking.istio.io'),
      (s) => istio(s, 'DestinationRule', 'shop', { host: 'orders', subsets: [{ name: 'v1', labels: { version: 'v1' }, trafficPolicy: { portLevelSettings: [{ port: { number: 80 }, tls: { mode: 'DISABLE' } }] } }] }, 'networking.istio.io'),
    ],
  },
  'AGM-JT-001': {
    compliant: [
      (s) => appGateway(s),
      (s) => appGateway(s, { probe: [{ name: 'apim', protocol: 'Https', path: '/status-0123456789abcdef', pickHostNameFromBackendHttpSettings: true, interval: 30, timeout: 30, unhealthyThreshold: 3 }] }),
      (s) => {
        const service = apim(s);
        return appGateway(s, {
          backendAddressPool: [{ name: 'apim', ipAddresses: [`\${element(${service.fqn}.private_ip_addresses, 0)}`] }],
          backendHttpSettings: [{ name: 'apim', cookieBasedAffinity: 'Disabled', port: 443, protocol: 'Https', hostName: 'api.contoso.internal', probeName: 'apim' }],
          probe: [{ name: 'apim', protocol: 'Https', path: '/status-0123456789abcdef', host: 'api.contoso.internal', interval: 30, timeout: 30, unhealthyThreshold: 3 }],
        });
      },
    ],
    nonCompliant: [
      (s) => appGateway(s, { probe: [{ name: 'apim', protocol: 'Https', path: '/', host: APIM_HOST, interval: 30, timeout: 30, unhealthyThreshold: 3 }] }),
      (s) => appGateway(s, { probe: [], backendHttpSettings: [{ name: 'apim', cookieBasedAffinity: 'Disabled', port: 443, protocol: 'Https', hostName: APIM_HOST }] }),
      (s) => appGateway(s, { probe: [{ name: 'apim', protocol: 'Https', path: '/status-0123456789abcdef', interval: 30, timeout: 30, unhealthyThreshold: 3 }] }),
    ],
  },
  'AGM-JT-002': {
    compliant: [(s) => {
      const subnet = network(s, 'snet-api');
      nsgFor(s, subnet, [allow('apim-management', 100, 'ApiManagement', '3443'), allow('apim-lb', 110, 'AzureLoadBalancer', '6390')]);
      return apim(s, {}, subnet.id);
    }, (s) => {
      const subnet = network(s, 'snet-api');
      nsgFor(s, subnet, [allow('apim-management', 100, 'ApiManagement', '3443')]); // AzureLoadBalancer is allowed by Azure's default rule
      return apim(s, {}, subnet.id);
    }],
    nonCompliant: [
      (s) => { const subnet = network(s, 'snet-api'); nsgFor(s, subnet, [allow('https', 100, 'VirtualNetwork', '443')]); return apim(s, {}, subnet.id); },
      (s) => {
        const subnet = network(s, 'snet-api');
        nsgFor(s, subnet, [allow('apim-management', 100, 'ApiManagement', '3443'), allow('deny-all', 200, '*', '*', 'Inbound', 'Deny')]);
        return apim(s, {}, subnet.id);
      },
      (s) => apim(s, {}, network(s, 'snet-api').id),
    ],
  },
  'AGM-JT-003': {
    compliant: [(s) => {
      const subnet = network(s);
      const nsg = nsgFor(s, subnet, [allow('https', 100, 'Internet', '443')]);
      new NetworkSecurityRule(s, 'GatewayManager', { ...placement, networkSecurityGroupName: nsg.name, name: 'gateway-manager', priority: 110, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: '65200-65535', sourceAddressPrefix: 'GatewayManager', destinationAddressPrefix: '*' });
      return appGateway(s, {}, subnet.id);
    }],
    nonCompliant: [
      (s) => { const subnet = network(s); nsgFor(s, subnet, [allow('https', 100, 'Internet', '443'), allow('deny-all', 4000, '*', '*', 'Inbound', 'Deny')]); return appGateway(s, {}, subnet.id); },
      (s) => { const subnet = network(s); nsgFor(s, subnet, [allow('gm', 110, 'GatewayManager', '65200-65300')]); return appGateway(s, {}, subnet.id); },
    ],
  },
  'AGM-JT-004': {
    compliant: [
      (s) => cluster(s),
      (s) => istioGatewayRelease(s, { set: [{ name: 'service.annotations.service\\.beta\\.kubernetes\\.io/azure-load-balancer-internal', value: 'true' }] }),
      (s) => istioGatewayRelease(s, { values: [JSON.stringify({ service: { annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } } })] }),
      (s) => istioGatewayRelease(s, { values: ['service:\n  type: ClusterIP\n'] }),
      (s) => new ServiceV1(s, 'Service', { metadata: { name: 'ingress', namespace: 'istio-ingress', annotations: { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' } }, spec: { type: 'LoadBalancer', port: [{ port: 443 }] } }),
    ],
    nonCompliant: [
      (s) => cluster(s, { serviceMeshProfile: { mode: 'Istio', revisions: ['asm-1-26'], internalIngressGatewayEnabled: true, externalIngressGatewayEnabled: true } }),
      (s) => istioGatewayRelease(s),
      (s) => istioGatewayRelease(s, { values: ['service:\n  annotations:\n    service.beta.kubernetes.io/azure-load-balancer-internal: "false"\n'] }),
      (s) => new ServiceV1(s, 'Service', { metadata: { name: 'public', namespace: 'shop' }, spec: { type: 'LoadBalancer', port: [{ port: 443 }] } }),
    ],
  },
  'AGM-JT-005': {
    compliant: [(s) => istio(s, 'Gateway', 'aks-istio-ingress', {
      selector: { istio: 'aks-istio-ingressgateway-internal' },
      servers: [
        { port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.mesh.internal'], tls: { mode: 'SIMPLE', credentialName: 'mesh-tls' } },
        { port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.mesh.internal'], tls: { httpsRedirect: true } },
      ],
    }, 'networking.istio.io')],
    nonCompliant: [
      (s) => istio(s, 'Gateway', 'aks-istio-ingress', { servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] }, 'networking.istio.io'),
      (s) => istio(s, 'Gateway', 'aks-istio-ingress', { servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*'], tls: { mode: 'SIMPLE', credentialName: 'c', minProtocolVersion: 'TLSV1_0' } }] }, 'networking.istio.io'),
    ],
  },
  'AGM-JT-006': {
    compliant: [(s) => { cluster(s); return namespace(s, 'shop', { 'istio.io/rev': 'asm-1-26', 'istio-injection': 'disabled' }); }],
    nonCompliant: [(s) => { cluster(s); return namespace(s, 'shop', { 'istio-injection': 'enabled' }); }],
  },
  'AGM-DEP-001': {
    compliant: [(s) => gatewayReadingVault(s, { wait: true })],
    nonCompliant: [(s) => gatewayReadingVault(s, { wait: false })],
  },
  'AGM-DEP-002': {
    compliant: [(s) => gatewayReadingVault(s, { wait: true, certificate: true })],
    nonCompliant: [(s) => gatewayReadingVault(s, { wait: true, certificate: false })],
  },
  'AGM-DEP-003': {
    compliant: [(s) => apimNamedValueFromVault(s, true)],
    nonCompliant: [(s) => apimNamedValueFromVault(s, false)],
  },
  'AGM-DEP-004': {
    compliant: [(s) => gatewayIpRecord(s, true)],
    nonCompliant: [(s) => gatewayIpRecord(s, false), (s) => gatewayIpRecord(s, true, false)],
  },
  'AGM-DEP-006': {
    compliant: [(s) => clusterWithIdentity(s, true)],
    nonCompliant: [(s) => clusterWithIdentity(s, false)],
  },
  'AGM-DEP-005': {
    compliant: [(s) => gatewayReadingVault(s, { endpoint: 'ordered' })],
    nonCompliant: [(s) => gatewayReadingVault(s, { endpoint: 'unordered' }), (s) => gatewayReadingVault(s, { endpoint: 'none' })],
  },
  'AGM-OB-001': {
    compliant: [
      (s) => { const gw = appGateway(s); metricAlerts(s, gw, ['UnhealthyHostCount', 'ResponseStatus', 'CpuUtilization']); return gw; },
      (s) => { const aks = cluster(s); metricAlerts(s, aks, ['kube_node_status_condition']); metricAlerts(s, aks, ['node_cpu_usage_percentage'], { dynamic: true }); return aks; },
    ],
    nonCompliant: [
      (s) => { const aks = cluster(s); metricAlerts(s, appGateway(s), ['UnhealthyHostCount']); return aks; },
      (s) => { const gw = appGateway(s); metricAlerts(s, gw, ['UnhealthyHostCount']); return gw; },
      (s) => { const gw = appGateway(s); metricAlerts(s, gw, ['UnhealthyHostCount']); metricAlerts(s, gw, ['ResponseStatus'], { enabled: false }); return gw; },
      (s) => { const gw = appGateway(s); metricAlerts(s, cluster(s), ['UnhealthyHostCount', 'ResponseStatus']); return gw; },
    ],
  },
  'AGM-OB-002': {
    compliant: [
      (s) => metricAlerts(s, appGateway(s), ['UnhealthyHostCount']),
      (s) => prometheusGroup(s, [{ alert: 'A', expression: 'up == 0', action: [{ actionGroupId: '/subscriptions/x/resourceGroups/rg/providers/microsoft.insights/actionGroups/ag' }] }, { record: 'r', expression: 'sum(up)' }]),
    ],
    nonCompliant: [
      (s) => metricAlerts(s, appGateway(s), ['UnhealthyHostCount'], { noAction: true }),
      (s) => prometheusGroup(s, [{ alert: 'A', expression: 'up == 0', action: [{ actionGroupId: 'ag' }] }, { alert: 'B', expression: 'up == 0' }]),
    ],
  },
  'AGM-NET-001': {
    compliant: [(s) => layers(s, [fromApi('https', 100, '443'), denyAll])],
    nonCompliant: [
      // AllowVnetInBound (65000) opens every port to the API layer: no deny below the allow.
      (s) => layers(s, [fromApi('https', 100, '443')]),
      (s) => layers(s, [allow('vnet', 100, 'VirtualNetwork', '0-1000'), denyAll]),
      (s) => layers(s, [{ ...fromApi('dns', 100, '53'), protocol: 'Udp' }, fromApi('https', 110, '443'), denyAll]),
    ],
  },
  'AGM-NET-002': {
    compliant: [(s) => layers(s, [fromApi('https', 100, '443'), denyAll])],
    nonCompliant: [
      (s) => layers(s, [denyAll]),
      (s) => layers(s, [fromApi('deny-https', 90, '443', 'Deny'), fromApi('https', 100, '443'), denyAll]),
    ],
  },
  'AGM-NET-003': {
    compliant: [(s) => { networkPolicy(s, 'shop', {}); return namespace(s, 'shop', { 'istio-injection': 'enabled' }); }],
    nonCompliant: [
      (s) => namespace(s, 'shop', { 'istio.io/rev': 'asm-1-26' }),
      (s) => { networkPolicy(s, 'shop', { policyTypes: ['Ingress'] }); return namespace(s, 'shop', { 'istio-injection': 'enabled' }); },
      (s) => { networkPolicy(s, 'shop', { podSelector: { matchLabels: { app: 'orders' } } }); return namespace(s, 'shop', { 'istio-injection': 'enabled' }); },
      (s) => { networkPolicy(s, 'shop', { ingress: [{ from: [{ podSelector: {} }] }] }); return namespace(s, 'shop', { 'istio-injection': 'enabled' }); },
    ],
  },
};

// ---------- Layer fixtures: API Management (10.0.1.0/24) calling an AKS cluster (10.0.16.0/20) ----------

const denyAll: NetworkSecurityGroupSecurityRule = { ...allow('deny-all', 4096, '*', '*', 'Inbound', 'Deny'), protocol: '*' };

/** The compute layer's NSG, with the API layer beside it; `backend` adds an APIM backend (the path is then required). */
function layers(s: Construct, computeRules: NetworkSecurityGroupSecurityRule[], backend = true): NetworkSecurityGroup {
  new VirtualNetwork(s, 'Vnet', { ...placement, name: 'vnet', addressSpace: ['10.0.0.0/16'] });
  const apiSubnet = new Subnet(s, 'ApiSubnet', { ...placement, name: 'snet-api', virtualNetworkName: 'vnet', addressPrefixes: ['10.0.1.0/24'] });
  const computeSubnet = new Subnet(s, 'ComputeSubnet', { ...placement, name: 'snet-compute', virtualNetworkName: 'vnet', addressPrefixes: ['10.0.16.0/20'] });
  nsgFor(s, apiSubnet, [allow('apim-management', 100, 'ApiManagement', '3443'), denyAll], 'ApiNsg');
  const service = apim(s, {}, apiSubnet.id);
  if (backend) new ApiManagementBackend(s, 'Backend', { ...placement, name: 'orders', apiManagementName: service.name, protocol: 'http', url: 'https://orders.mesh.internal' });
  cluster(s, {}, { vnetSubnetId: computeSubnet.id });
  return nsgFor(s, computeSubnet, computeRules, 'ComputeNsg');
}
const fromApi = (name: string, priority: number, port: string, access = 'Allow'): NetworkSecurityGroupSecurityRule => ({ ...allow(name, priority, '10.0.1.0/24', port, 'Inbound', access), destinationAddressPrefix: '*' });
const networkPolicy = (s: Construct, ns: string, spec: { [key: string]: any }) => new NetworkPolicyV1(s, `NetworkPolicy-${ns}`, {
  metadata: { name: 'default-deny', namespace: ns },
  spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ...spec },
});

describe('policy rules', () => {
  test('every built-in rule has compliant and non-compliant cases', () => {
    const ids = GatewayMeshChecks.builtInRules().map((r) => r.id);
    expect(Object.keys(CASES).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      expect(CASES[id].compliant.length).toBeGreaterThan(0);
      expect(CASES[id].nonCompliant.length).toBeGreaterThan(0);
    }
  });

  const table = Object.entries(CASES).flatMap(([id, c]) => [
    ...c.compliant.map((f, i) => [id, `compliant #${i + 1}`, f, RuleResult.COMPLIANT] as const),
    ...c.nonCompliant.map((f, i) => [id, `non-compliant #${i + 1}`, f, RuleResult.NON_COMPLIANT] as const),
  ]);
  test.each(table)('%s %s', (id, _name, fixture, expected) => {
    expect(judge(id, fixture)).toBe(expected);
  });

  test('values known only at plan time are not judged', () => {
    expect(judge('AGM-AZ-012', (s) => cluster(s, { localAccountDisabled: '${var.local}' as any }))).toBe(RuleResult.NOT_APPLICABLE);
    expect(judge('AGM-AZ-001', (s) => wafPolicy(s, { policySettings: { mode: '${var.mode}' } }))).toBe(RuleResult.NOT_APPLICABLE);
    expect(judge('AGM-K8S-008', (s) => deployment(s, { container: { image: '${var.image}' } }))).toBe(RuleResult.NOT_APPLICABLE);
    // An app without any alert leaves monitoring to something else (e.g. AMBA deployed by Azure Policy).
    expect(judge('AGM-OB-001', (s) => cluster(s))).toBe(RuleResult.NOT_APPLICABLE);
  });

  test('references to literal arguments of other resources are followed (a namespace by its resource)', () => {
    const inNamespace = (s: Construct, labels: { [key: string]: string }) => {
      const ns = namespace(s, 'shop', labels);
      return new DeploymentV1(s, 'Deployment', {
        metadata: { name: 'orders', namespace: ns.metadata.name },
        spec: { selector: { matchLabels: { app: 'orders' } }, template: { metadata: { labels: { app: 'orders' } }, spec: { container: [secureContainer as any] } } },
      });
    };
    expect(judge('AGM-K8S-011', (s) => inNamespace(s, {}))).toBe(RuleResult.COMPLIANT);
    // The injected namespace carries the default-deny finding, not each of its workloads.
    expect(judge('AGM-IS-003', (s) => inNamespace(s, { 'istio.io/rev': 'asm-1-26' }))).toBe(RuleResult.NOT_APPLICABLE);
    expect(judge('AGM-IS-004', (s) => {
      const ns = namespace(s, 'web', {});
      return istio(s, 'AuthorizationPolicy', 'shop', { rules: [{ from: [{ source: { principals: [`cluster.local/ns/${ns.metadata.name}/sa/frontend`] } }] }] });
    })).toBe(RuleResult.COMPLIANT);
    expect(judge('AGM-IS-004', (s) => istio(s, 'AuthorizationPolicy', 'shop', { rules: [{ from: [{ source: { principals: ['cluster.local/ns/${var.ns}/sa/x'] } }] }] })))
      .toBe(RuleResult.NOT_APPLICABLE);
  });

  test('rules do not apply to resources they are not about', () => {
    expect(judge('AGM-K8S-001', (s) => istio(s, 'PeerAuthentication', 'shop', { mtls: { mode: 'STRICT' } }))).toBe(RuleResult.NOT_APPLICABLE);
    expect(judge('AGM-IS-001', (s) => cluster(s, { serviceMeshProfile: undefined }))).toBe(RuleResult.NOT_APPLICABLE);
    expect(judge('AGM-JT-001', (s) => appGateway(s, { backendAddressPool: [{ name: 'apim', fqdns: ['app.contoso.com'] }], backendHttpSettings: [{ name: 'apim', cookieBasedAffinity: 'Disabled', port: 443, protocol: 'Https' }], probe: [] }))).toBe(RuleResult.NOT_APPLICABLE);
    expect(judge('AGM-JT-006', (s) => namespace(s, 'shop', { 'istio-injection': 'enabled' }))).toBe(RuleResult.NOT_APPLICABLE);
    // A vault open to allowed public ranges, without a private endpoint: no endpoint to wait for.
    expect(judge('AGM-DEP-005', (s) => gatewayReadingVault(s, { endpoint: 'none', vaultPublic: true }))).toBe(RuleResult.NOT_APPLICABLE);
    // Access granted outside the app: no role assignment to wait for.
    expect(judge('AGM-DEP-001', (s) => appGateway(s))).toBe(RuleResult.NOT_APPLICABLE);
    expect(judge('AGM-AZ-007', (s) => new Subnet(s, 'GatewaySubnet', { ...placement, name: 'GatewaySubnet', virtualNetworkName: 'vnet', addressPrefixes: ['10.0.9.0/27'] }))).toBe(RuleResult.NOT_APPLICABLE);
  });

  test.each([
    ['nginx:1.27.3', true], ['ghcr.io/a/b:v2', true], [`a/b@sha256:${'0'.repeat(64)}`, true],
    ['nginx', false], ['nginx:latest', false], ['registry:5000/team/app', false],
  ])('image %s pinned: %s', (image, pinned) => {
    expect(isPinnedImage(image as string)).toBe(pinned);
  });

  test('every rule documents itself', () => {
    for (const rule of GatewayMeshChecks.builtInRules()) {
      expect(rule.id).toMatch(/^AGM-(AZ|K8S|IS|JT|DEP|OB|NET)-\d{3}$/);
      expect(rule.description.length).toBeGreaterThan(30);
      expect(rule.fix.length).toBeGreaterThan(20);
      expect(rule.scannerChecks.length).toBeGreaterThan(0);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
    }
  });
});
