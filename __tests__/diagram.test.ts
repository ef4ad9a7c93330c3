import { mkdtempSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ApiManagement } from '@cdktf/provider-azurerm/lib/api-management';
import { ApiManagementApi } from '@cdktf/provider-azurerm/lib/api-management-api';
import { ApplicationGateway } from '@cdktf/provider-azurerm/lib/application-gateway';
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { PublicIp } from '@cdktf/provider-azurerm/lib/public-ip';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import { WebApplicationFirewallPolicy } from '@cdktf/provider-azurerm/lib/web-application-firewall-policy';
import { Release } from '@cdktf/provider-helm/lib/release';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { App, Fn, TerraformStack, Testing } from 'cdktf';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { synthStack, validateTerraformJson } from './support';
import {
  TopologyDiagram, TopologyEdgeKind, TopologyGroupKind, TopologyModel, TopologyNodeKind,
  buildTopologyModel, renderDrawio, renderSvg, writeTopologyDiagrams,
} from '../lib/diagram';
import { sanitizeModel } from '../lib/diagram/layout';

// A test app in the shape of the reference topology, built from raw provider resources only
// (the diagram must not depend on this library's constructs): platform stack (VNet, three
// subnets with NSGs, WAF + Application Gateway, internal APIM, AKS with the Istio add-on,
// monitoring, Key Vault) and workloads stack (namespace, three services, Istio resources).
const rg = { resourceGroupName: 'rg-mesh', location: 'westeurope' };

function buildFixture(app: App): { platform: TerraformStack; workloads: TerraformStack } {
  const platform = new TerraformStack(app, 'platform');
  new AzurermProvider(platform, 'azurerm', { features: [{}] });
  const vnet = new VirtualNetwork(platform, 'Vnet', { ...rg, name: 'vnet-mesh', addressSpace: ['10.0.0.0/16'] });
  const layers: Array<[string, string]> = [['edge', '10.0.0.0/24'], ['api', '10.0.1.0/24'], ['compute', '10.0.16.0/20']];
  const subnets: Record<string, Subnet> = {};
  for (const [layer, prefix] of layers) {
    const subnet = new Subnet(platform, `Subnet-${layer}`, { resourceGroupName: rg.resourceGroupName, name: `snet-${layer}`, virtualNetworkName: vnet.name, addressPrefixes: [prefix] });
    const nsg = new NetworkSecurityGroup(platform, `Nsg-${layer}`, { ...rg, name: `nsg-${layer}` });
    new SubnetNetworkSecurityGroupAssociation(platform, `NsgAssoc-${layer}`, { subnetId: subnet.id, networkSecurityGroupId: nsg.id });
    subnets[layer] = subnet;
  }
  const workspace = new LogAnalyticsWorkspace(platform, 'Logs', { ...rg, name: 'log-mesh', sku: 'PerGB2018', retentionInDays: 30 });
  new ApplicationInsights(platform, 'Insights', { ...rg, name: 'appi-mesh', applicationType: 'web', workspaceId: workspace.id });
  new KeyVault(platform, 'Vault', { ...rg, name: 'kv-mesh', tenantId: '00000000-0000-0000-0000-000000000000', skuName: 'standard', rbacAuthorizationEnabled: true, purgeProtectionEnabled: true, networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny' } });

  const waf = new WebApplicationFirewallPolicy(platform, 'Waf', {
    ...rg,
    name: 'waf-mesh',
    policySettings: { enabled: true, mode: 'Prevention', requestBodyCheck: true },
    managedRules: { managedRuleSet: [{ type: 'OWASP', version: '3.2' }] },
  });
  const apim = new ApiManagement(platform, 'Apim', {
    ...rg,
    name: 'apim-mesh',
    publisherEmail: 'ops@example.com',
    publisherName: 'Ops',
    skuName: 'Developer_1',
    virtualNetworkType: 'Internal',
    virtualNetworkConfiguration: { subnetId: subnets.api.id },
  });
  for (const version of ['v1', 'v2']) {
    new ApiManagementApi(platform, `OrdersApi-${version}`, {
      name: `orders-${version}`,
      resourceGroupName: rg.resourceGroupName,
      apiManagementName: apim.name,
      revision: '1',
      displayName: 'orders',
      path: 'orders',
      version,
      versionSetId: 'vs',
      protocols: ['https'],
      serviceUrl: 'https://orders.mesh.internal',
    });
  }
  const pip = new PublicIp(platform, 'Pip', { ...rg, name: 'pip-agw', allocationMethod: 'Static', sku: 'Standard' });
  new ApplicationGateway(platform, 'Agw', {
    ...rg,
    name: 'agw-mesh',
    zones: ['1', '2', '3'],
    firewallPolicyId: waf.id,
    sku: { name: 'WAF_v2', tier: 'WAF_v2' },
    autoscaleConfiguration: { minCapacity: 2, maxCapacity: 10 },
    gatewayIpConfiguration: [{ name: 'gw', subnetId: subnets.edge.id }],
    frontendIpConfiguration: [{ name: 'public', publicIpAddressId: pip.id }],
    frontendPort: [{ name: 'https', port: 443 }],
    backendAddressPool: [{ name: 'apim', fqdns: ['apim-mesh.azure-api.net'] }],
    backendHttpSettings: [{ name: 'apim', port: 443, protocol: 'Https', cookieBasedAffinity: 'Disabled', hostName: 'apim-mesh.azure-api.net' }],
    httpListener: [{ name: 'https', frontendIpConfigurationName: 'public', frontendPortName: 'https', protocol: 'Https', sslCertificateName: 'cert' }],
    requestRoutingRule: [{ name: 'apim', ruleType: 'Basic', httpListenerName: 'https', backendAddressPoolName: 'apim', backendHttpSettingsName: 'apim', priority: 100 }],
  });
  const aks = new KubernetesCluster(platform, 'Aks', {
    ...rg,
    name: 'aks-mesh',
    dnsPrefix: 'aks-mesh',
    defaultNodePool: { name: 'system', vmSize: 'Standard_D4s_v5', vnetSubnetId: subnets.compute.id, nodeCount: 3 },
    identity: { type: 'SystemAssigned' },
    serviceMeshProfile: { mode: 'Istio', revisions: ['asm-1-26'], internalIngressGatewayEnabled: true, externalIngressGatewayEnabled: false },
  });

  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', { host: aks.kubeConfig.get(0).host, clusterCaCertificate: aks.kubeConfig.get(0).clusterCaCertificate });
  const ns = new NamespaceV1(workloads, 'Namespace', { metadata: { name: 'shop', labels: { 'istio.io/rev': 'asm-1-26' } } });
  const manifest = (id: string, body: any) => new Manifest(workloads, id, { manifest: body });
  manifest('MeshMtls', { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'aks-istio-system' }, spec: { mtls: { mode: 'STRICT' } } });
  manifest('Gateway', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'Gateway',
    metadata: { name: 'mesh-gateway', namespace: 'aks-istio-ingress' },
    spec: { selector: { istio: 'aks-istio-ingressgateway-internal' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['*.mesh.internal'], tls: { mode: 'SIMPLE', credentialName: 'mesh-tls' } }] },
  });
  manifest('DenyAll', { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: 'allow-nothing', namespace: ns.metadata.name }, spec: {} });
  for (const svc of ['orders', 'payments', 'inventory']) {
    const sa = new ServiceAccountV1(workloads, `${svc}-sa`, { metadata: { name: svc, namespace: ns.metadata.name } });
    new DeploymentV1(workloads, `${svc}-deployment`, {
      metadata: { name: svc, namespace: ns.metadata.name },
      spec: {
        replicas: '2',
        selector: { matchLabels: { app: svc } },
        template: {
          metadata: { labels: { app: svc } },
          spec: { serviceAccountName: sa.metadata.name, container: [{ name: svc, image: `example.azurecr.io/${svc}:1.0.0` }] },
        },
      },
    });
    new ServiceV1(workloads, `${svc}-service`, { metadata: { name: svc, namespace: ns.metadata.name }, spec: { selector: { app: svc }, port: [{ port: 8080 }] } });
  }
  manifest('OrdersRoute', {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'orders', namespace: 'shop' },
    spec: { hosts: ['orders.mesh.internal'], gateways: ['aks-istio-ingress/mesh-gateway'], http: [{ route: [{ destination: { host: 'orders.shop.svc.cluster.local', port: { number: 8080 } } }] }] },
  });
  const allow = (id: string, target: string, principals: string[], to?: any) => manifest(id, {
    apiVersion: 'security.istio.io/v1',
    kind: 'AuthorizationPolicy',
    metadata: { name: `allow-${target}`, namespace: 'shop' },
    spec: { action: 'ALLOW', selector: { matchLabels: { app: target } }, rules: [{ from: [{ source: { principals } }], ...(to ? { to } : {}) }] },
  });
  allow('AllowOrders', 'orders', ['cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal']);
  allow('AllowPayments', 'payments', ['cluster.local/ns/shop/sa/orders'], [{ operation: { methods: ['POST'], paths: ['/payments'] } }]);
  allow('AllowInventory', 'inventory', ['cluster.local/ns/shop/sa/orders', 'cluster.local/ns/batch/sa/restocker']);
  return { platform, workloads };
}

const GATEWAY = 'platform/Aks#gateway/istio=aks-istio-ingressgateway-internal';

function fixtureModel(): TopologyModel {
  const app = Testing.app();
  buildFixture(app);
  return buildTopologyModel(app);
}

const edgesOf = (model: TopologyModel, kind: TopologyEdgeKind) =>
  model.edges.filter((e) => e.kind === kind).map((e) => [e.sourceId, e.targetId, e.label]);
const group = (model: TopologyModel, id: string) => model.groups.find((g) => g.id === id);
const node = (model: TopologyModel, id: string) => model.nodes.find((n) => n.id === id);
const parse = (xml: string) => new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml);
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

describe('buildTopologyModel', () => {
  test('snapshot of the model', () => {
    expect(fixtureModel()).toMatchSnapshot();
  });

  test('the fixture is a valid Terraform configuration', () => {
    const app = Testing.app();
    const { platform, workloads } = buildFixture(app);
    // The pruned schemas hold only the types the library creates: the others are not checked.
    const errors = [platform, workloads].flatMap((stack) => validateTerraformJson(synthStack(stack)))
      .filter((e) => !/unknown resource type/.test(e));
    expect(errors).toEqual([]);
  });

  test('groups: the VNet holds the three layers, each with its subnet and NSG', () => {
    const model = fixtureModel();
    expect(group(model, 'platform/Vnet')).toEqual({ id: 'platform/Vnet', kind: TopologyGroupKind.NETWORK, label: 'vnet-mesh', details: ['10.0.0.0/16'], constructPath: 'platform/Vnet' });
    const layers = model.groups.filter((g) => g.kind === TopologyGroupKind.LAYER);
    expect(layers.map((g) => [g.label, g.parentId])).toEqual([
      ['Presentation layer', 'platform/Vnet'], ['API layer', 'platform/Vnet'], ['Compute layer', 'platform/Vnet'],
    ]);
    const subnets = model.groups.filter((g) => g.kind === TopologyGroupKind.SUBNET);
    expect(subnets.map((g) => [g.label, g.parentId, g.details])).toEqual([
      ['snet-edge', 'platform/Vnet#layer/presentation', ['10.0.0.0/24', 'NSG nsg-edge']],
      ['snet-api', 'platform/Vnet#layer/api', ['10.0.1.0/24', 'NSG nsg-api']],
      ['snet-compute', 'platform/Vnet#layer/compute', ['10.0.16.0/20', 'NSG nsg-compute']],
    ]);
    expect(group(model, 'platform/Aks')).toMatchObject({ kind: TopologyGroupKind.CLUSTER, label: 'aks-mesh', parentId: 'platform/Subnet-compute', details: ['Istio add-on asm-1-26', 'mTLS STRICT mesh-wide'] });
    expect(group(model, 'platform/Aks#ns/shop')).toMatchObject({ kind: TopologyGroupKind.NAMESPACE, parentId: 'platform/Aks', details: ['sidecars asm-1-26', 'default deny'], constructPath: 'workloads/Namespace' });
    expect(group(model, 'platform/Aks#ns/aks-istio-ingress')).toMatchObject({ kind: TopologyGroupKind.NAMESPACE, parentId: 'platform/Aks' });
    expect(group(model, '#shared')).toMatchObject({ kind: TopologyGroupKind.SHARED });
  });

  test('nodes: each component in its subnet or namespace, labelled by its literal name', () => {
    const model = fixtureModel();
    expect(model.nodes.map((n) => [n.kind, n.label, n.groupId])).toEqual([
      [TopologyNodeKind.CLIENT, 'Client', undefined],
      [TopologyNodeKind.APPLICATION_GATEWAY, 'agw-mesh', 'platform/Subnet-edge'],
      [TopologyNodeKind.API_MANAGEMENT, 'apim-mesh', 'platform/Subnet-api'],
      [TopologyNodeKind.INGRESS_GATEWAY, 'aks-istio-ingressgateway-internal', 'platform/Aks#ns/aks-istio-ingress'],
      [TopologyNodeKind.SERVICE, 'orders', 'platform/Aks#ns/shop'],
      [TopologyNodeKind.SERVICE, 'payments', 'platform/Aks#ns/shop'],
      [TopologyNodeKind.SERVICE, 'inventory', 'platform/Aks#ns/shop'],
      [TopologyNodeKind.LOG_ANALYTICS, 'log-mesh', '#shared'],
      [TopologyNodeKind.APPLICATION_INSIGHTS, 'appi-mesh', '#shared'],
      [TopologyNodeKind.KEY_VAULT, 'kv-mesh', '#shared'],
      [TopologyNodeKind.PEER, 'restocker', 'platform/Aks#ns/batch'],
    ]);
    expect(node(model, 'platform/Agw')!.details).toEqual(['WAF_v2 · zones 1 2 3', 'WAF waf-mesh · Prevention']);
    expect(node(model, 'platform/Apim')!.details).toEqual(['Developer_1 · Internal VNet', 'API orders v1 /orders', 'API orders v2 /orders']);
    expect(node(model, GATEWAY)!.details).toEqual(['AKS Istio add-on', 'Gateway mesh-gateway: *.mesh.internal']);
    expect(node(model, 'workloads/orders-deployment')!.details).toEqual(['sa orders · 2 replicas']);
  });

  test('request edges: client -> WAF + App Gateway -> API Management -> ingress gateway -> service', () => {
    expect(edgesOf(fixtureModel(), TopologyEdgeKind.REQUEST)).toEqual([
      ['client', 'platform/Agw', 'HTTPS'],
      ['platform/Agw', 'platform/Apim', 'HTTPS'],
      ['platform/Apim', GATEWAY, 'HTTPS'],
      [GATEWAY, 'workloads/orders-deployment', 'mTLS'],
    ]);
  });

  test('allowed edges: exactly the principals of the ALLOW policies, to the workloads they select', () => {
    expect(edgesOf(fixtureModel(), TopologyEdgeKind.ALLOWED)).toEqual([
      [GATEWAY, 'workloads/orders-deployment', 'all operations'],
      ['workloads/orders-deployment', 'workloads/payments-deployment', 'POST /payments'],
      ['workloads/orders-deployment', 'workloads/inventory-deployment', 'all operations'],
      ['platform/Aks#peer/cluster.local/ns/batch/sa/restocker', 'workloads/inventory-deployment', 'all operations'],
    ]);
  });

  test('follows cross-stack references before and after synth', () => {
    const before = fixtureModel();
    const app = Testing.app();
    buildFixture(app);
    app.synth();
    expect(buildTopologyModel(app)).toEqual(before);
  });

  test('leaves the synthesized stacks unchanged', () => {
    const plain = Testing.app();
    const plainStacks = buildFixture(plain);
    const observed = Testing.app();
    const observedStacks = buildFixture(observed);
    buildTopologyModel(observed);
    expect(Testing.synth(observedStacks.platform)).toEqual(Testing.synth(plainStacks.platform));
    expect(Testing.synth(observedStacks.workloads)).toEqual(Testing.synth(plainStacks.workloads));
  });

  test('labels come from construct ids when names are not literal; gaps are shown', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'solo');
    const place = { resourceGroupName: 'rg', location: 'westeurope' };
    const vnet = new VirtualNetwork(stack, 'Vnet', { ...place, name: Fn.join('-', ['vnet', 'x']), addressSpace: ['10.1.0.0/16'] });
    new Subnet(stack, 'Loose', { resourceGroupName: 'rg', name: 'snet-loose', virtualNetworkName: vnet.name, addressPrefixes: ['10.1.0.0/24'] });
    new WebApplicationFirewallPolicy(stack, 'Waf', { ...place, name: 'waf-alone', policySettings: { mode: 'Detection' }, managedRules: { managedRuleSet: [{ version: '3.2' }] } });
    new ApiManagement(stack, 'Apim', { ...place, name: 'apim-public', publisherEmail: 'a@b.c', publisherName: 'x', skuName: 'Consumption_0' });
    const model = buildTopologyModel(app);
    expect(group(model, 'solo/Vnet')!.label).toBe('Vnet');
    // A subnet no known resource lives in is in no layer; without an association it has no NSG.
    expect(group(model, 'solo/Loose')).toMatchObject({ parentId: 'solo/Vnet', details: ['10.1.0.0/24', 'no NSG'] });
    expect(node(model, 'solo/Waf')).toMatchObject({ kind: TopologyNodeKind.WAF_POLICY, details: ['Detection · not attached'] });
    // API Management outside any VNet: in the API layer outside the network, called by the client.
    expect(node(model, 'solo/Apim')).toMatchObject({ groupId: '#layer/api', details: ['Consumption_0 · no VNet'] });
    expect(edgesOf(model, TopologyEdgeKind.REQUEST)).toEqual([['client', 'solo/Apim', 'HTTPS']]);
  });

  test('matches principals with wildcards and namespaces, and mesh-wide policies', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'mesh');
    const deployment = (name: string, namespace: string, sa: string) => new DeploymentV1(stack, `${namespace}-${name}`, {
      metadata: { name, namespace },
      spec: { selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { serviceAccountName: sa, container: [{ name, image: 'x:1' }] } } },
    });
    deployment('front', 'web', 'front');
    deployment('api', 'core', 'api');
    deployment('jobs', 'core', 'jobs');
    const policy = (id: string, namespace: string, spec: any) => new Manifest(stack, id, {
      manifest: { apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name: id.toLowerCase(), namespace }, spec },
    });
    policy('Prefix', 'core', { selector: { matchLabels: { app: 'api' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/*'] } }], to: [{ operation: { methods: ['GET'] } }] }] });
    policy('Namespaces', 'core', { selector: { matchLabels: { app: 'jobs' } }, rules: [{ from: [{ source: { namespaces: ['core'] } }] }] });
    policy('MeshWide', 'istio-system', { selector: { matchLabels: { app: 'front' } }, rules: [{ from: [{ source: { principals: ['cluster.local/ns/core/sa/jobs'] } }] }] });
    policy('Deny', 'core', { action: 'DENY', rules: [{ from: [{ source: { principals: ['cluster.local/ns/web/sa/front'] } }] }] });
    const model = buildTopologyModel(app);
    // No AKS cluster in the tree: the workloads sit in a cluster stand-in.
    expect(group(model, 'mesh#kubernetes')).toMatchObject({ kind: TopologyGroupKind.CLUSTER, label: 'Kubernetes cluster' });
    expect(edgesOf(model, TopologyEdgeKind.ALLOWED)).toEqual([
      ['mesh/web-front', 'mesh/core-api', 'GET'],
      ['mesh/core-api', 'mesh/core-jobs', 'all operations'],
      ['mesh/core-jobs', 'mesh/web-front', 'all operations'],
    ]);
  });
});

describe('request path from references', () => {
  test('links App Gateway to API Management and API Management to the gateway when hosts are known only at deploy time', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'refs');
    const place = { resourceGroupName: 'rg', location: 'westeurope' };
    const apim = new ApiManagement(stack, 'Apim', { ...place, name: 'apim-x', publisherEmail: 'a@b.c', publisherName: 'x', skuName: 'Developer_1' });
    new ApiManagementApi(stack, 'Api', {
      name: 'orders', resourceGroupName: 'rg', apiManagementName: apim.name, revision: '1', serviceUrl: Fn.join('', ['https://', apim.name, '.mesh.internal']),
    });
    new ApplicationGateway(stack, 'Agw', {
      ...place,
      name: 'agw-x',
      sku: { name: 'WAF_v2', tier: 'WAF_v2' },
      gatewayIpConfiguration: [{ name: 'gw', subnetId: 'subnet-id' }],
      frontendIpConfiguration: [{ name: 'public', publicIpAddressId: 'pip' }],
      frontendPort: [{ name: 'http', port: 80 }],
      backendAddressPool: [{ name: 'apim', ipAddresses: [Fn.element(apim.privateIpAddresses, 0)] }],
      backendHttpSettings: [{ name: 'apim', port: 443, protocol: 'Https', cookieBasedAffinity: 'Disabled' }],
      httpListener: [{ name: 'http', frontendIpConfigurationName: 'public', frontendPortName: 'http', protocol: 'Http' }],
      requestRoutingRule: [{ name: 'r', ruleType: 'Basic', httpListenerName: 'http', backendAddressPoolName: 'apim', backendHttpSettingsName: 'apim', priority: 1 }],
    });
    new Manifest(stack, 'Gateway', {
      manifest: { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'gw', namespace: 'ingress' }, spec: { selector: { app: 'edge' } } },
    });
    const model = buildTopologyModel(app);
    expect(edgesOf(model, TopologyEdgeKind.REQUEST)).toEqual([
      ['client', 'refs/Agw', 'HTTP'],
      ['refs/Agw', 'refs/Apim', 'HTTPS'],
      ['refs/Apim', 'refs#kubernetes#gateway/app=edge', 'HTTPS'],
    ]);
    // Placed outside any VNet: a subnet id that is no reference to a subnet of the tree.
    expect(node(model, 'refs/Agw')).toMatchObject({ groupId: '#layer/presentation', details: ['WAF_v2', 'no WAF policy'] });
  });
});

describe('renderSvg', () => {
  test('is well-formed SVG that shows every group, node and edge', async () => {
    const model = fixtureModel();
    const svg = await renderSvg(model);
    expect(XMLValidator.validate(svg)).toBe(true);
    const doc = parse(svg).svg;
    expect(doc.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(Number(doc.width)).toBeGreaterThan(800);
    for (const item of [...model.groups, ...model.nodes]) {
      expect(svg).toContain(`data-id="${item.id.replace(/&/g, '&amp;')}"`);
      expect(svg).toContain(`>${item.label}<`);
    }
    const edges = asList<any>(doc.g.find((g: any) => g.class === 'edges').g);
    // The gateway's allowed call to `orders` is folded into the request arrow.
    expect(edges.map((e) => e['data-id'])).toEqual([
      'allowed:workloads/orders-deployment->workloads/payments-deployment',
      'allowed:workloads/orders-deployment->workloads/inventory-deployment',
      'allowed:platform/Aks#peer/cluster.local/ns/batch/sa/restocker->workloads/inventory-deployment',
      'request:client->platform/Agw',
      'request:platform/Agw->platform/Apim',
      `request:platform/Apim->${GATEWAY}`,
      `request:${GATEWAY}->workloads/orders-deployment`,
    ]);
    for (const edge of edges) {
      const path = asList<any>(edge.path)[1];
      expect(path.d).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+$/);
      expect(path['marker-end']).toMatch(/^url\(#arrow-(request|allowed)\)$/);
    }
    expect(svg).toContain('>mTLS · allowed<');
    expect(svg).toContain('>Legend<');
    expect(svg).not.toMatch(/NaN|undefined/);
  });

  test('renders a hand-built model with dangling references', async () => {
    const model: TopologyModel = {
      title: 'Hand-built <&>',
      groups: [
        { id: 'child', kind: TopologyGroupKind.NAMESPACE, label: 'child', details: [], parentId: 'parent' },
        { id: 'parent', kind: TopologyGroupKind.CLUSTER, label: 'parent', details: [] },
        { id: 'loop-a', kind: TopologyGroupKind.SUBNET, label: 'a', details: [], parentId: 'loop-b' },
        { id: 'loop-b', kind: TopologyGroupKind.SUBNET, label: 'b', details: [], parentId: 'loop-a' },
        { id: 'orphan', kind: TopologyGroupKind.LAYER, label: 'orphan', details: [], parentId: 'missing' },
      ],
      nodes: [
        { id: 'n1', kind: TopologyNodeKind.SERVICE, label: 'one', details: ['a & b'], groupId: 'child' },
        { id: 'n1', kind: TopologyNodeKind.SERVICE, label: 'duplicate', details: [] },
        { id: 'n2', kind: TopologyNodeKind.SERVICE, label: 'two', details: [], groupId: 'nowhere' },
      ],
      edges: [
        { id: 'e1', kind: TopologyEdgeKind.ALLOWED, sourceId: 'n1', targetId: 'n2' },
        { id: 'e2', kind: TopologyEdgeKind.REQUEST, sourceId: 'n1', targetId: 'ghost' },
      ],
    };
    const clean = sanitizeModel(model);
    expect(clean.groups.map((g) => [g.id, g.parentId])).toEqual([['parent', undefined], ['loop-a', undefined], ['loop-b', undefined], ['orphan', undefined], ['child', 'parent']]);
    expect(clean.nodes.map((n) => [n.label, n.groupId])).toEqual([['one', 'child'], ['two', undefined]]);
    expect(clean.edges.map((e) => e.id)).toEqual(['e1']);
    const svg = await renderSvg(model);
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('Hand-built &lt;&amp;&gt;');
    expect(XMLValidator.validate(await renderDrawio(model))).toBe(true);
  });
});

describe('renderDrawio', () => {
  test('is a well-formed draw.io document with nested containers and routed edges', async () => {
    const model = fixtureModel();
    const xml = await renderDrawio(model);
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = parse(xml);
    const graph = doc.mxfile.diagram.mxGraphModel;
    const cells: any[] = graph.root.mxCell;
    expect(cells[0]).toEqual({ id: '0' });
    expect(cells[1]).toEqual({ id: '1', parent: '0' });
    const byValue = (text: string) => cells.filter((c) => c.vertex === '1' && typeof c.value === 'string' && c.value.includes(`<b>${text}</b>`));
    // Every group is a container; every node sits in the cell of its group.
    const idOf = new Map<string, string>();
    for (const g of model.groups) {
      const [cell] = byValue(g.label);
      expect(cell.style).toContain('container=1');
      idOf.set(g.id, cell.id);
    }
    for (const n of model.nodes) {
      const [cell] = cells.filter((c) => c.vertex === '1' && typeof c.value === 'string' && c.value.includes(`>${n.label}</b>`));
      expect(cell.parent).toBe(n.groupId ? idOf.get(n.groupId) : '1');
      expect(Number(cell.mxGeometry.width)).toBeGreaterThan(0);
      idOf.set(n.id, cell.id);
    }
    expect(cells.find((c) => c.id === idOf.get('platform/Subnet-edge')).parent).toBe(idOf.get('platform/Vnet#layer/presentation'));
    const edges = cells.filter((c) => c.edge === '1' && c.source);
    expect(edges).toHaveLength(7);
    const hop = edges.find((e) => e.source === idOf.get('platform/Apim') && e.target === idOf.get(GATEWAY));
    expect(hop.style).toContain('edgeStyle=orthogonalEdgeStyle');
    expect(hop.style).toContain('strokeColor=#0b5cad');
    const bent = edges.find((e) => e.source === idOf.get(GATEWAY));
    expect(asList(bent.mxGeometry.Array.mxPoint).length).toBeGreaterThan(0);
    expect(xml).not.toMatch(/NaN|undefined/);
  });
});

describe('TopologyDiagram', () => {
  test('output is deterministic: the same tree gives the same bytes', async () => {
    const first = fixtureModel();
    const second = fixtureModel();
    expect(await TopologyDiagram.renderSvg(second)).toBe(await TopologyDiagram.renderSvg(first));
    expect(await TopologyDiagram.renderDrawio(second)).toBe(await TopologyDiagram.renderDrawio(first));
  });

  test('writes topology.svg and topology.drawio', async () => {
    const app = Testing.app();
    buildFixture(app);
    const outdir = join(mkdtempSync(join(tmpdir(), 'diagram-')), 'nested');
    const files = await TopologyDiagram.writeFiles(app, outdir);
    expect(files).toEqual({ svgPath: join(outdir, 'topology.svg'), drawioPath: join(outdir, 'topology.drawio') });
    expect(readFileSync(files.svgPath, 'utf8')).toBe(await renderSvg(TopologyDiagram.buildModel(app)));
    expect(readFileSync(files.drawioPath, 'utf8')).toBe(await renderDrawio(TopologyDiagram.buildModel(app)));
  });

  test('fails when outdir is empty', async () => {
    await expect(writeTopologyDiagrams(Testing.app(), '')).rejects.toThrow(/invalid 'outdir': got ""; expected the path of a directory/);
  });
});

describe('Helm-installed Istio', () => {
  test('the gateway chart is the ingress gateway; its service account calls as the gateway', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'helm');
    new Release(stack, 'Gateway', { name: 'istio-ingressgateway', chart: 'gateway', repository: 'https://istio-release.storage.googleapis.com/charts', namespace: 'istio-ingress' });
    const manifest = (id: string, body: any) => new Manifest(stack, id, { manifest: body });
    manifest('Web', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'site' },
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { serviceAccountName: 'web', containers: [{ name: 'web', image: 'x:1' }] } } },
    });
    manifest('MeshGateway', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'mesh-gateway', namespace: 'istio-ingress' },
      spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 443, name: 'https', protocol: 'HTTPS' }, hosts: ['site/web.example.internal'] }] },
    });
    manifest('Route', {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'web', namespace: 'site' },
      spec: { hosts: ['web.example.internal'], gateways: ['istio-ingress/mesh-gateway'], http: [{ route: [{ destination: { host: 'web' } }] }] },
    });
    manifest('AllowGateway', {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'allow-gateway', namespace: 'site' },
      spec: { rules: [{ from: [{ source: { principals: ['cluster.local/ns/istio-ingress/sa/istio-ingressgateway'] } }], to: [{ operation: { ports: ['8080'] } }] }] },
    });
    const model = buildTopologyModel(app);
    const gateway = 'helm#kubernetes#gateway/istio=ingressgateway';
    expect(node(model, gateway)).toMatchObject({
      kind: TopologyNodeKind.INGRESS_GATEWAY,
      label: 'ingressgateway',
      groupId: 'helm#kubernetes#ns/istio-ingress',
      details: ['Helm chart gateway', 'Gateway mesh-gateway: web.example.internal'],
      constructPath: 'helm/Gateway',
    });
    expect(node(model, 'helm/Web')).toMatchObject({ kind: TopologyNodeKind.SERVICE, label: 'web', details: ['sa web'] });
    expect(model.edges.map((e) => [e.kind, e.sourceId, e.targetId, e.label])).toEqual([
      [TopologyEdgeKind.REQUEST, gateway, 'helm/Web', 'mTLS'],
      [TopologyEdgeKind.ALLOWED, gateway, 'helm/Web', 'port 8080'],
    ]);
  });
});
