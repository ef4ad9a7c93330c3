// The policy pack as an Aspect: findings as annotations, errors failing synthesis (app.synth() and
// the synthStack helper), suppressions, configuration errors, the catalog, and its cost.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApplicationGateway } from '@cdktf/provider-azurerm/lib/application-gateway';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KubernetesCluster, KubernetesClusterConfig } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { NetworkSecurityGroup, NetworkSecurityGroupSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { WebApplicationFirewallPolicy } from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { App, Aspects, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { synthStack } from './support';
import {
  GatewayMeshChecks, IPolicyRule, PolicySuppressions, RuleLevel, RuleResult, renderRuleTable, ruleCatalog,
} from '../lib/policy';
import { PolicyIndex } from '../lib/policy/private/context';

const placement = { resourceGroupName: 'rg-mesh', location: 'westeurope' };
const tenantId = '00000000-0000-0000-0000-000000000000';
const newApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'policy-')) });

/** A stack with the providers app.synth() requires (synthStack does not need them). */
function newStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new AzurermProvider(stack, 'azurerm', { features: [{}] });
  new KubernetesProvider(stack, 'kubernetes', {});
  return stack;
}

const rule = (name: string, priority: number, source: string, port: string): NetworkSecurityGroupSecurityRule => ({
  name, priority, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourcePortRange: '*', destinationPortRange: port, sourceAddressPrefix: source, destinationAddressPrefix: '*',
});

function layer(scope: Construct, name: string, prefix: string, rules: NetworkSecurityGroupSecurityRule[]): Subnet {
  const subnet = new Subnet(scope, `${name}Subnet`, { ...placement, name: `snet-${name}`, virtualNetworkName: 'vnet-mesh', addressPrefixes: [prefix] });
  const nsg = new NetworkSecurityGroup(scope, `${name}Nsg`, { ...placement, name: `nsg-${name}`, securityRule: rules });
  new SubnetNetworkSecurityGroupAssociation(scope, `${name}NsgAssociation`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
  return subnet;
}

function secureCluster(scope: Construct, id = 'Cluster', o: Partial<KubernetesClusterConfig> = {}): KubernetesCluster {
  return new KubernetesCluster(scope, id, {
    ...placement,
    name: 'aks-mesh',
    dnsPrefix: 'aks-mesh',
    skuTier: 'Standard',
    privateClusterEnabled: true,
    localAccountDisabled: true,
    azurePolicyEnabled: true,
    oidcIssuerEnabled: true,
    workloadIdentityEnabled: true,
    automaticUpgradeChannel: 'patch',
    nodeOsUpgradeChannel: 'NodeImage',
    azureActiveDirectoryRoleBasedAccessControl: { azureRbacEnabled: true, tenantId },
    identity: { type: 'SystemAssigned' },
    defaultNodePool: { name: 'system', vmSize: 'Standard_D4ds_v5', nodeCount: 3, maxPods: 110, onlyCriticalAddonsEnabled: true, hostEncryptionEnabled: true, zones: ['1', '2', '3'] },
    networkProfile: { networkPlugin: 'azure', networkPluginMode: 'overlay', networkPolicy: 'cilium', networkDataPlane: 'cilium' },
    keyVaultSecretsProvider: { secretRotationEnabled: true, secretRotationInterval: '2m' },
    serviceMeshProfile: { mode: 'Istio', revisions: ['asm-1-26'], internalIngressGatewayEnabled: true, externalIngressGatewayEnabled: false },
    ...o,
  });
}

/** A cluster on its own: without the Istio add-on, whose mesh-wide mTLS policy would live in another stack. */
const loneCluster = (scope: Construct, id = 'Cluster', o: Partial<KubernetesClusterConfig> = {}) => secureCluster(scope, id, { serviceMeshProfile: undefined, ...o });

/** The Azure side of the reference topology, written with raw provider resources, meeting every rule. */
function secureInfrastructure(stack: TerraformStack): KubernetesCluster {
  new VirtualNetwork(stack, 'Vnet', { ...placement, name: 'vnet-mesh', addressSpace: ['10.0.0.0/16'] });
  // Each layer denies what it does not allow, so that AllowVnetInBound (65000) opens no other path (AGM-NET-001).
  const denyAll: NetworkSecurityGroupSecurityRule = { ...rule('deny-all', 4096, '*', '*'), access: 'Deny', protocol: '*' };
  const edge = layer(stack, 'edge', '10.0.0.0/24', [rule('https', 100, 'Internet', '443'), rule('http', 105, 'Internet', '80'),
    rule('gateway-manager', 110, 'GatewayManager', '65200-65535'), rule('load-balancer', 120, 'AzureLoadBalancer', '*'), denyAll]);
  const api = layer(stack, 'api', '10.0.1.0/24', [rule('apim-management', 100, 'ApiManagement', '3443'), rule('apim-load-balancer', 110, 'AzureLoadBalancer', '6390'),
    rule('from-edge', 120, '10.0.0.0/24', '443'), denyAll]);
  const compute = layer(stack, 'compute', '10.0.16.0/20', [rule('from-apim', 100, '10.0.1.0/24', '443'), denyAll]);
  const waf = new WebApplicationFirewallPolicy(stack, 'Waf', {
    ...placement,
    name: 'waf-mesh',
    policySettings: { enabled: true, mode: 'Prevention', requestBodyCheck: true },
    managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.2' }, { type: 'Microsoft_BotManagerRuleSet', version: '1.0' }] },
  });
  const apim = new ApiManagement(stack, 'Apim', {
    ...placement,
    name: 'apim-mesh',
    publisherName: 'Platform',
    publisherEmail: 'platform@example.com',
    skuName: 'Developer_1',
    virtualNetworkType: 'Internal',
    virtualNetworkConfiguration: { subnetId: api.id },
    identity: { type: 'SystemAssigned' },
  });
  new ApplicationGateway(stack, 'Gateway', {
    ...placement,
    name: 'agw-mesh',
    sku: { name: 'WAF_v2', tier: 'WAF_v2' },
    autoscaleConfiguration: { minCapacity: 1, maxCapacity: 3 },
    firewallPolicyId: waf.id,
    gatewayIpConfiguration: [{ name: 'gateway', subnetId: edge.id }],
    frontendIpConfiguration: [{ name: 'public', publicIpAddressId: '/subscriptions/x/resourceGroups/rg-mesh/providers/Microsoft.Network/publicIPAddresses/pip' }],
    frontendPort: [{ name: 'https', port: 443 }, { name: 'http', port: 80 }],
    sslCertificate: [{ name: 'cert', keyVaultSecretId: 'https://kv-mesh.vault.azure.net/secrets/edge' }],
    httpListener: [
      { name: 'https', frontendIpConfigurationName: 'public', frontendPortName: 'https', protocol: 'Https', sslCertificateName: 'cert' },
      { name: 'http', frontendIpConfigurationName: 'public', frontendPortName: 'http', protocol: 'Http' },
    ],
    backendAddressPool: [{ name: 'apim', ipAddresses: [`\${element(${apim.fqn}.private_ip_addresses, 0)}`] }],
    backendHttpSettings: [{ name: 'apim', cookieBasedAffinity: 'Disabled', port: 443, protocol: 'Https', hostName: 'apim-mesh.azure-api.net', probeName: 'apim' }],
    probe: [{ name: 'apim', protocol: 'Https', path: '/status-0123456789abcdef', host: 'apim-mesh.azure-api.net', interval: 30, timeout: 30, unhealthyThreshold: 3 }],
    redirectConfiguration: [{ name: 'to-https', redirectType: 'Permanent', targetListenerName: 'https', includePath: true, includeQueryString: true }],
    requestRoutingRule: [
      { name: 'api', ruleType: 'Basic', priority: 100, httpListenerName: 'https', backendAddressPoolName: 'apim', backendHttpSettingsName: 'apim' },
      { name: 'redirect', ruleType: 'Basic', priority: 200, httpListenerName: 'http', redirectConfigurationName: 'to-https' },
    ],
    sslPolicy: { policyType: 'Predefined', policyName: 'AppGwSslPolicy20220101S' },
  });
  new KeyVault(stack, 'Vault', {
    ...placement,
    name: 'kv-mesh',
    tenantId,
    skuName: 'standard',
    purgeProtectionEnabled: true,
    rbacAuthorizationEnabled: true,
    networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', virtualNetworkSubnetIds: [compute.id] },
  });
  const cluster = secureCluster(stack);
  new KubernetesClusterNodePool(stack, 'UserPool', { name: 'user', kubernetesClusterId: cluster.id, vmSize: 'Standard_D4ds_v5', mode: 'User', maxPods: 110, hostEncryptionEnabled: true, vnetSubnetId: compute.id });
  return cluster;
}

const manifest = (scope: Construct, id: string, apiVersion: string, kind: string, namespace: string, spec?: { [key: string]: any }) =>
  new Manifest(scope, id, { manifest: { apiVersion, kind, metadata: { name: id.toLowerCase(), namespace }, ...(spec ? { spec } : {}) } });

/** The in-cluster side: mesh-wide STRICT mTLS, a default-deny namespace, and a hardened service. */
function secureWorkloads(stack: TerraformStack, options: { privileged?: boolean } = {}): DeploymentV1 {
  manifest(stack, 'MeshMtls', 'security.istio.io/v1', 'PeerAuthentication', 'aks-istio-system', { mtls: { mode: 'STRICT' } });
  new NamespaceV1(stack, 'Shop', { metadata: { name: 'shop', labels: { 'istio.io/rev': 'asm-1-26' } } });
  new NetworkPolicyV1(stack, 'ShopDefaultDeny', { metadata: { name: 'default-deny', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
  manifest(stack, 'AllowNothing', 'security.istio.io/v1', 'AuthorizationPolicy', 'shop', {});
  manifest(stack, 'AllowIngress', 'security.istio.io/v1', 'AuthorizationPolicy', 'shop', {
    selector: { matchLabels: { app: 'orders' } },
    rules: [{ from: [{ source: { principals: ['cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal'] } }] }],
  });
  manifest(stack, 'OrdersMtls', 'networking.istio.io/v1', 'DestinationRule', 'shop', { host: 'orders.shop.svc.cluster.local', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL' } } });
  manifest(stack, 'IngressGateway', 'networking.istio.io/v1', 'Gateway', 'aks-istio-ingress', {
    selector: { istio: 'aks-istio-ingressgateway-internal' },
    servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.mesh.internal'], tls: { mode: 'SIMPLE', credentialName: 'mesh-tls' } }],
  });
  const deployment = new DeploymentV1(stack, 'Orders', {
    metadata: { name: 'orders', namespace: 'shop' },
    spec: {
      replicas: '2',
      selector: { matchLabels: { app: 'orders' } },
      template: {
        metadata: { labels: { app: 'orders' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: '10001', seccompProfile: { type: 'RuntimeDefault' } },
          container: [{
            name: 'orders',
            image: 'ghcr.io/example/orders:1.4.2',
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: options.privileged ?? false, capabilities: { drop: ['ALL'] } },
            resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
            livenessProbe: { httpGet: { path: '/healthz', port: '8080' } },
            readinessProbe: { httpGet: { path: '/ready', port: '8080' } },
          }],
        },
      },
    },
  });
  new PodDisruptionBudgetV1(stack, 'OrdersBudget', { metadata: { name: 'orders', namespace: 'shop' }, spec: { maxUnavailable: '1', selector: { matchLabels: { app: 'orders' } } } });
  new ServiceV1(stack, 'OrdersService', { metadata: { name: 'orders', namespace: 'shop' }, spec: { selector: { app: 'orders' }, port: [{ port: 80, targetPort: '8080' }] } });
  return deployment;
}

describe('GatewayMeshChecks', () => {
  test('a secure topology, written with raw provider resources, has no findings', () => {
    const app = newApp();
    const infra = newStack(app, 'infra');
    const workloads = newStack(app, 'workloads');
    secureInfrastructure(infra);
    secureWorkloads(workloads);
    const checks = GatewayMeshChecks.applyTo(app);
    synthStack(infra);
    synthStack(workloads);
    expect(checks.findings).toEqual([]);
    app.synth();
    expect(checks.findings).toEqual([]);
  });

  describe('a deliberately insecure stack', () => {
    /** WAF in Detection mode, PERMISSIVE mTLS, a privileged container, a public AKS API server. */
    function insecure(app: App): TerraformStack {
      const stack = newStack(app, 'insecure');
      new WebApplicationFirewallPolicy(stack, 'Waf', {
        ...placement,
        name: 'waf',
        policySettings: { enabled: true, mode: 'Detection' },
        managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.2' }] },
      });
      manifest(stack, 'Permissive', 'security.istio.io/v1', 'PeerAuthentication', 'shop', { mtls: { mode: 'PERMISSIVE' } });
      secureWorkloads(stack, { privileged: true });
      secureCluster(stack, 'Cluster', { privateClusterEnabled: false });
      return stack;
    }
    const expected: Array<[string, RegExp, RegExp]> = [
      ['AGM-AZ-001', /Detection mode only logs attacks/, /mode = "Prevention"/],
      ['AGM-IS-002', /PERMISSIVE or DISABLE/, /Set the mode to STRICT/],
      ['AGM-K8S-012', /No container runs privileged/, /Remove securityContext\.privileged/],
      ['AGM-AZ-011', /private API server/, /private_cluster_enabled = true/],
    ];

    test('fails synthStack with every problem and its fix', () => {
      const stack = insecure(newApp());
      GatewayMeshChecks.applyTo(stack);
      let message = '';
      try {
        synthStack(stack);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^Validation failed/);
      for (const [id, problem, fix] of expected) {
        const line = message.split('\n').find((l) => l.includes(`${id}:`));
        expect(line).toBeDefined();
        expect(line).toMatch(problem);
        expect(line).toMatch(fix);
      }
      expect(message).toMatch(/\[insecure\/Waf\] AGM-AZ-001/);
      expect(message).toMatch(/\[insecure\/Cluster\] AGM-AZ-011/);
    });

    test('fails app.synth() when the pack is added as an Aspect', () => {
      const app = newApp();
      const stack = insecure(app);
      const checks = new GatewayMeshChecks();
      Aspects.of(stack).add(checks);
      expect(() => app.synth()).toThrow(/AGM-AZ-001[\s\S]*Fix:/);
      expect(checks.findings.map((f) => f.ruleId)).toEqual(expect.arrayContaining(expected.map(([id]) => id)));
      const waf = stack.node.findChild('Waf');
      expect(waf.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => m.data)).toEqual([expect.stringMatching(/^AGM-AZ-001: .* Fix: .* \[CKV_AZURE_122, /)]);
    });

    test('fails app.synth() through applyTo(app)', () => {
      const app = newApp();
      insecure(app);
      GatewayMeshChecks.applyTo(app);
      expect(() => app.synth()).toThrow(/AGM-IS-002[\s\S]*AGM-K8S-012|AGM-K8S-012[\s\S]*AGM-IS-002/);
    });
  });

  describe('inside app.synth() the pack judges the JSON synthesis writes', () => {
    test('an Aspect added after the pack that weakens a resource is caught: the pack sees the result', () => {
      const app = newApp();
      const stack = newStack(app, 'edge');
      new WebApplicationFirewallPolicy(stack, 'Waf', {
        ...placement,
        name: 'waf',
        policySettings: { enabled: true, mode: 'Prevention' },
        managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.2' }] },
      });
      GatewayMeshChecks.applyTo(app);
      // Runs after the pack's Aspect on the same resource.
      Aspects.of(stack).add({ visit: (node) => { if (node instanceof WebApplicationFirewallPolicy) node.addOverride('policy_settings.mode', 'Detection'); } });
      expect(() => app.synth()).toThrow(/\[edge\/Waf\] AGM-AZ-001/);
    });

    test('a stack the pack rejects is not left in the output, even when a later stack was the last synthesized', () => {
      const app = newApp();
      const first = newStack(app, 'first');
      loneCluster(first, 'Cluster', { localAccountDisabled: false });
      const second = newStack(app, 'second');
      secureWorkloads(second);
      GatewayMeshChecks.applyTo(app);
      expect(() => app.synth()).toThrow(/\[first\/Cluster\] AGM-AZ-012/);
      expect(fs.existsSync(path.join(app.outdir, 'stacks', 'first', 'cdk.tf.json'))).toBe(false);
    });

    test('a stack already judged (synthesized alone before) does not keep the others from being judged', () => {
      const app = newApp();
      const first = newStack(app, 'first');
      secureWorkloads(first);
      const second = newStack(app, 'second');
      loneCluster(second, 'Cluster', { localAccountDisabled: false });
      GatewayMeshChecks.applyTo(app);
      expect(() => synthStack(first)).not.toThrow();
      expect(() => app.synth()).toThrow(/\[second\/Cluster\] AGM-AZ-012/);
    });

    test('its findings are in manifest.json with the stack\'s other annotations (cdktf synth prints them)', () => {
      const app = newApp();
      const stack = newStack(app, 'warn');
      loneCluster(stack, 'Cluster', { skuTier: 'Free' });
      GatewayMeshChecks.applyTo(app);
      app.synth();
      const written = JSON.parse(fs.readFileSync(path.join(app.outdir, 'manifest.json'), 'utf8'));
      expect(written.stacks.warn.annotations).toEqual(expect.arrayContaining([
        expect.objectContaining({ constructPath: 'warn/Cluster', level: '@cdktf/warn', message: expect.stringMatching(/^AGM-AZ-022: /) }),
      ]));
    });
  });

  test('warnings are annotations that do not fail synthesis', () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'warn');
    const cluster = loneCluster(stack, 'Cluster', { skuTier: 'Free' });
    const checks = GatewayMeshChecks.applyTo(stack);
    expect(() => synthStack(stack)).not.toThrow();
    expect(checks.findings).toEqual([expect.objectContaining({ ruleId: 'AGM-AZ-022', level: RuleLevel.WARNING, path: 'warn/Cluster', address: 'azurerm_kubernetes_cluster.Cluster' })]);
    expect(cluster.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data)).toEqual([expect.stringMatching(/^AGM-AZ-022: .*sku_tier = "Standard"/)]);
  });

  test('checks stacks created after applyTo(app) when the app validates', () => {
    const app = newApp();
    const checks = GatewayMeshChecks.applyTo(app);
    const late = newStack(app, 'late');
    loneCluster(late, 'Cluster', { localAccountDisabled: false });
    expect(() => app.synth()).toThrow(/\[late\/Cluster\] AGM-AZ-012/);
    expect(checks.findings.map((f) => f.ruleId)).toEqual(['AGM-AZ-012']);
  });

  test('inside app.synth() it judges what synthesis writes and resolves nothing itself', () => {
    const app = newApp();
    const infra = newStack(app, 'infra');
    const workloads = newStack(app, 'workloads');
    secureInfrastructure(infra);
    secureWorkloads(workloads);
    const spy = jest.spyOn(PolicyIndex, 'resolve');
    const checks = GatewayMeshChecks.applyTo(app);
    app.synth();
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    // Judged all the same: every resource of both stacks, as cdk.tf.json holds it.
    expect(checks.findings.filter((f) => f.level === RuleLevel.ERROR && !f.suppressionReason)).toEqual([]);
    const written = JSON.parse(fs.readFileSync(path.join(app.outdir, 'stacks', 'workloads', 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(written.resource)).toContain('kubernetes_deployment_v1');
  });

  test('outside app.synth() (one stack synthesized alone) it resolves each resource of the other stacks once', () => {
    const app = newApp();
    const infra = new TerraformStack(app, 'infra');
    const workloads = new TerraformStack(app, 'workloads');
    secureInfrastructure(infra);
    secureWorkloads(workloads);
    const resourcesOf = (stack: TerraformStack) => stack.node.findAll().filter((c) => c instanceof Construct && 'terraformResourceType' in c).length;
    const spy = jest.spyOn(PolicyIndex, 'resolve');
    GatewayMeshChecks.applyTo(app);
    synthStack(infra);
    expect(spy).toHaveBeenCalledTimes(resourcesOf(workloads));
    synthStack(workloads);
    expect(spy).toHaveBeenCalledTimes(resourcesOf(workloads));
    spy.mockRestore();
  });

  test('stays linear on large stacks', () => {
    const build = (n: number) => {
      const app = newApp();
      const stack = new TerraformStack(app, 'big');
      for (let i = 0; i < n; i++) layer(stack, `l${i}`, `10.${Math.floor(i / 256)}.${i % 256}.0/24`, [rule('https', 100, 'VirtualNetwork', '443')]);
      const checks = GatewayMeshChecks.applyTo(stack);
      const start = process.hrtime.bigint();
      synthStack(stack);
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      expect(checks.findings).toEqual([]);
      return ms;
    };
    build(50); // warm up module loading and JIT
    const small = build(200);
    const large = build(800);
    // 4x the resources may not cost 16x (quadratic); allow generous noise for a shared machine.
    expect(large).toBeLessThan(small * 10);
  });

  describe('suppressions', () => {
    test('a suppression with a reason turns the error into info naming the reason, for the construct and its children', () => {
      const app = newApp();
      const stack = new TerraformStack(app, 'suppressed');
      const group = new Construct(stack, 'Platform');
      const cluster = loneCluster(group, 'Cluster', { privateClusterEnabled: false });
      PolicySuppressions.add(group, [{ id: 'AGM-AZ-011', reason: 'API server reached from the CI runners through authorized ranges set by policy' }]);
      const checks = GatewayMeshChecks.applyTo(stack);
      expect(() => synthStack(stack)).not.toThrow();
      expect(checks.findings).toEqual([expect.objectContaining({ ruleId: 'AGM-AZ-011', suppressionReason: 'API server reached from the CI runners through authorized ranges set by policy' })]);
      expect(cluster.node.metadata.filter((m) => m.type === '@cdktf/info').map((m) => m.data))
        .toEqual(['AGM-AZ-011 suppressed: API server reached from the CI runners through authorized ranges set by policy']);
      expect(group.node.metadata.find((m) => m.type === 'gateway-mesh/policy-suppressions')?.data).toEqual([{ id: 'AGM-AZ-011', reason: 'API server reached from the CI runners through authorized ranges set by policy' }]);
      expect(PolicySuppressions.of(cluster)).toHaveLength(1);
    });

    test('a suppression covers only its rule', () => {
      const app = newApp();
      const stack = new TerraformStack(app, 'partly');
      const cluster = loneCluster(stack, 'Cluster', { privateClusterEnabled: false, localAccountDisabled: false });
      PolicySuppressions.add(cluster, [{ id: 'AGM-AZ-011', reason: 'Reached through authorized ranges managed elsewhere' }]);
      GatewayMeshChecks.applyTo(stack);
      expect(() => synthStack(stack)).toThrow(/AGM-AZ-012/);
      expect(() => synthStack(stack)).not.toThrow(/AGM-AZ-011/);
    });

    test('fails when a suppression has no reason', () => {
      const stack = new TerraformStack(newApp(), 'bad');
      expect(() => PolicySuppressions.add(stack, [{ id: 'AGM-AZ-011' } as any]))
        .toThrow(/PolicySuppressions|invalid 'suppressions\[0\]\.reason': got undefined; a reason of at least 10 characters is required/);
    });

    test('fails when a suppression reason is too short', () => {
      const stack = new TerraformStack(newApp(), 'bad');
      expect(() => PolicySuppressions.add(stack, [{ id: 'AGM-AZ-011', reason: 'because' }]))
        .toThrow(/invalid 'suppressions\[0\]\.reason': got "because"; a reason of at least 10 characters is required/);
    });

    test('fails when a suppression has no rule id', () => {
      const stack = new TerraformStack(newApp(), 'bad');
      expect(() => PolicySuppressions.add(stack, [{ id: ' ', reason: 'a perfectly good reason' }]))
        .toThrow(/invalid 'suppressions\[0\]\.id': got " "; expected the id of a policy rule/);
    });

    test('fails when no suppression is given', () => {
      const stack = new TerraformStack(newApp(), 'bad');
      expect(() => PolicySuppressions.add(stack, [])).toThrow(/invalid 'suppressions': got \[\]; expected at least one/);
    });
  });

  describe('configuration', () => {
    const customRule: IPolicyRule = {
      id: 'ACME-001',
      description: 'Clusters are named with the aks- prefix.',
      fix: 'Rename the cluster aks-<name>.',
      level: RuleLevel.ERROR,
      scannerChecks: ['ACME naming standard'],
      resourceTypes: ['azurerm_kubernetes_cluster'],
      evaluate: (config) => (String(config.name).startsWith('aks-') ? RuleResult.COMPLIANT : RuleResult.NON_COMPLIANT),
    };

    test('runs additional rules and skips disabled ones', () => {
      const stack = new TerraformStack(newApp(), 'custom');
      loneCluster(stack, 'Cluster', { name: 'cluster', skuTier: 'Free' });
      const checks = GatewayMeshChecks.applyTo(stack, { additionalRules: [customRule], disabledRules: ['AGM-AZ-022'] });
      expect(() => synthStack(stack)).toThrow(/ACME-001: Clusters are named with the aks- prefix\. Fix: Rename the cluster/);
      expect(checks.findings.map((f) => f.ruleId)).toEqual(['ACME-001']);
      expect(checks.activeRules.map((r) => r.id)).not.toContain('AGM-AZ-022');
    });

    test('a rule that throws is reported as its own error, not a crash', () => {
      const stack = new TerraformStack(newApp(), 'broken');
      loneCluster(stack);
      const broken: IPolicyRule = { ...customRule, id: 'ACME-002', evaluate: () => { throw new Error('boom'); } };
      GatewayMeshChecks.applyTo(stack, { additionalRules: [broken] });
      expect(() => synthStack(stack)).toThrow(/ACME-002: the rule failed on this resource \(boom\)/);
    });

    test('a rule that writes into the configuration it judges (the JSON synthesis writes) fails as a broken rule', () => {
      const app = newApp();
      const stack = newStack(app, 'writer');
      loneCluster(stack);
      const writer: IPolicyRule = { ...customRule, id: 'ACME-003', evaluate: (config) => { (config.default_node_pool as any).vm_size = 'Standard_A1'; return RuleResult.COMPLIANT; } };
      GatewayMeshChecks.applyTo(app, { additionalRules: [writer] });
      expect(() => app.synth()).toThrow(/ACME-003: the rule failed on this resource \(Cannot assign to read only property 'vm_size'/);
    });

    test('fails when a disabled rule id is unknown', () => {
      const stack = new TerraformStack(newApp(), 'bad');
      expect(() => GatewayMeshChecks.applyTo(stack, { disabledRules: ['AGM-AZ-999'] }))
        .toThrow(/TerraformStack at 'bad': invalid 'disabledRules\[0\]': got "AGM-AZ-999"; expected the id of a built-in rule/);
    });

    test('fails when an additional rule reuses an id', () => {
      const stack = new TerraformStack(newApp(), 'bad');
      expect(() => GatewayMeshChecks.applyTo(stack, { additionalRules: [{ ...customRule, id: 'AGM-AZ-001' }] }))
        .toThrow(/invalid 'additionalRules\[0\]\.id': got "AGM-AZ-001"; expected an id no other rule of the pack uses/);
    });

    test('fails when an additional rule is not a rule', () => {
      const stack = new TerraformStack(newApp(), 'bad');
      expect(() => GatewayMeshChecks.applyTo(stack, { additionalRules: [{ id: 'X' } as any] }))
        .toThrow(/invalid 'additionalRules\[0\]': got "X"; expected an IPolicyRule/);
    });
  });

  describe('catalog', () => {
    test('lists every rule with its scanner checks', () => {
      const catalog = ruleCatalog();
      expect(catalog.map((r) => r.id)).toEqual(GatewayMeshChecks.builtInRules().map((r) => r.id));
      expect(catalog.length).toBeGreaterThanOrEqual(40);
      expect(GatewayMeshChecks.catalog()).toEqual(catalog);
      expect(catalog.find((r) => r.id === 'AGM-AZ-001')?.scannerChecks).toContain('CKV_AZURE_122');
    });

    test('renders the README table, and docs/policy-rules.md is up to date (npx tsx scripts/policy-table.ts)', () => {
      const table = renderRuleTable();
      const lines = table.trimEnd().split('\n');
      expect(lines[0]).toBe('| Rule | Requires | Level | Stands for |');
      expect(lines).toHaveLength(ruleCatalog().length + 2);
      for (const r of ruleCatalog()) expect(table).toContain(`| ${r.id} | `);
      const doc = fs.readFileSync(path.join(__dirname, '..', 'docs', 'policy-rules.md'), 'utf8');
      expect(doc).toContain(table);
      expect(fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8')).toContain(table);
    });
  });
});
