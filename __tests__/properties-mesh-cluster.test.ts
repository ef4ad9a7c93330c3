// Property-based test of MeshCluster input handling (issue 8): 1000 generated prop sets, each with
// generated connect() options (the in-cluster stack, and the charts' stack in Helm mode).
import { App, Aspects, Fn, TerraformStack } from 'cdktf';
// eslint-disable-next-line import/no-extraneous-dependencies
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';
import * as fc from 'fast-check';
import {
  AksSkuTier, ApiServerAccess, AutomaticUpgradeChannel, GatewayMeshChecks, ISubnet, IstioMode, KubeloginMode, MeshCluster,
  MeshClusterProps, MeshConnectionOptions, NetworkPolicyEngine, NodeOsUpgradeChannel, PodNetworking, RuleLevel,
} from '../lib';
import { validateTerraformJson } from './support';
import { assertConstructProperty, optional } from './support/properties';

const SUBSCRIPTION = '/subscriptions/00000000-0000-0000-0000-000000000000';
const VNET_ID = `${SUBSCRIPTION}/resourceGroups/rg-mesh/providers/Microsoft.Network/virtualNetworks/vnet-mesh`;
const VAULT_ID = `${SUBSCRIPTION}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-central`;
const VAULT_ZONE_ID = `${SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net`;
const WORKSPACE_ID = `${SUBSCRIPTION}/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-mesh`;

// Mostly plausible values, with the edge cases users type: empty, too long, wrong case, out of range,
// NaN, fractional, bad CIDRs/IPs/URLs/ids, duplicates, and inconsistent combinations. Each field is
// valid most of the time, so that over 40% of the cases synthesize (each a two- or three-stack app).
const mostly = <T>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<T>) => fc.oneof({ arbitrary: valid, weight: 45 }, { arbitrary: invalid, weight: 1 });
/** Lists and maps as the props take them (not readonly tuples). */
const lists = (...values: string[][]) => fc.constantFrom(...values);
const maps = (...values: Array<{ [key: string]: string }>) => fc.constantFrom(...values);
/** Values outside an enum, as JavaScript callers and typos pass them. */
const notInEnum = <T>(...values: string[]) => fc.constantFrom(...values) as unknown as fc.Arbitrary<T>;

const subnet = fc.record({
  addressPrefix: mostly(
    fc.constantFrom('10.0.16.0/20', '10.0.32.0/21', '10.0.64.0/18', '10.1.0.0/22'),
    fc.constantFrom('', 'compute', '10.0.16.0/28', '10.0.16.5/20', '10.0.16.0/33', '10.9.0.0/24', '10.0.16.0', '10.0.16.0/20 '),
  ),
  space: mostly(
    lists(['10.0.0.0/16', '10.1.0.0/16'], ['10.0.0.0/8']),
    lists(['vnet'], ['10.0.0.0'], ['10.0.0.0/16', '10.0.0.0/16'], ['10.0.0.5/16', '10.1.0.0/16']),
  ),
  // The subnet of a network built in the same run: its prefix is a token.
  token: fc.oneof({ arbitrary: fc.constant(false), weight: 5 }, { arbitrary: fc.constant(true), weight: 1 }),
});

const name = mostly(
  fc.oneof(fc.constantFrom('aks-mesh', 'aks-prod', 'aks_prod_1', 'a', 'x'.repeat(63)), fc.stringMatching(/^[a-z][a-z0-9-]{0,20}[a-z0-9]$/)),
  fc.constantFrom('', '-aks', 'aks-', 'x'.repeat(64), 'aks mesh', 'aks.prod', '_aks'),
);
const dnsPrefix = mostly(
  fc.constantFrom('aksprod', 'mesh-1', 'a', '1aks', 'x'.repeat(54)),
  fc.constantFrom('', '-aks', 'aks_prod', 'x'.repeat(55), 'aks.prod'),
);
const cidrOrIp = fc.constantFrom('203.0.113.0/24', '198.51.100.7', '198.51.100.0/28', '20.50.0.0/16', '0.0.0.0/32');
const badRange = fc.constantFrom('0.0.0.0/0', 'my-laptop', '203.0.113.300', '203.0.113.0/33', '2001:db8::/32', '', '0.0.0.0');
const apiServer = fc.oneof(
  { arbitrary: fc.constant<string[] | undefined>(undefined), weight: 4 },
  { arbitrary: mostly<string[]>(fc.uniqueArray(cidrOrIp, { minLength: 1, maxLength: 3 }), fc.oneof(lists([]), badRange.map((r) => [r]), lists(['203.0.113.0/24', '203.0.113.0/24']))), weight: 1 },
);
const guid = fc.uuid();
const enumOf = <T>(values: T[], ...wrong: string[]) => mostly(fc.constantFrom(...values), notInEnum<T>(...wrong));
const nodePool = (system: boolean) => fc.record({
  vmSize: optional(mostly(
    fc.constantFrom('Standard_D4ds_v5', 'Standard_D8s_v5', 'Standard_E4as_v5', 'Standard_F8s_v2', ...(system ? [] : ['Standard_B4ms'])),
    fc.constantFrom('large', 'Standard_A1_v2', 'standard_d4ds_v5', '', 'D4ds_v5', system ? 'Standard_B8ms' : 'Standard_B1s'),
  )),
  minCount: optional(mostly(fc.integer({ min: system ? 2 : 0, max: 5 }), fc.constantFrom(-1, 1.5, Number.NaN, 1001, system ? 1 : -2))),
  maxCount: optional(mostly(fc.integer({ min: 5, max: 20 }), fc.constantFrom(0, -3, 2.5, Number.NaN, 1001, 1))),
  maxPods: optional(mostly(fc.integer({ min: 50, max: 250 }), fc.constantFrom(30, 251, 0, 110.5, Number.NaN, Number.POSITIVE_INFINITY))),
  maxSurge: optional(mostly(fc.constantFrom('10%', '33%', '1', '3', '100%'), fc.constantFrom('0', '0%', '150%', '', '10 %', '-1', '1.5', '01'))),
});
const window = fc.record({
  dayOfWeek: optional(mostly(fc.constantFrom('Monday', 'Saturday', 'Sunday'), fc.constantFrom('sunday', 'Sun', '', 'Funday'))),
  startTime: optional(mostly(fc.constantFrom('00:00', '22:30', '03:15'), fc.constantFrom('24:00', '9:00', '25:00', '', '12:60'))),
  durationHours: optional(mostly(fc.integer({ min: 4, max: 24 }), fc.constantFrom(0, 2, 25, 4.5, Number.NaN, -4))),
  utcOffset: optional(mostly(fc.constantFrom('+00:00', '+01:00', '-05:30', '+14:00'), fc.constantFrom('1:00', '+15:00', 'UTC', '', '+1:00'))),
});
// The address plan: 'dns-auto' is the tenth address of the chosen service CIDR.
const SERVICE_CIDRS = ['172.16.0.0/16', '100.64.0.0/16', '172.20.0.0/20'];
const serviceCidr = mostly(fc.constantFrom(...SERVICE_CIDRS), fc.constantFrom('10.0.0.0/16', '172.31.0.0/16', '172.16.0.0', '172.16.5.0/16', '', '172.16.0.0/8', '0.0.0.0/0'));
const dnsServiceIp = mostly(fc.constant('dns-auto'), fc.constantFrom('172.16.0.1', '172.17.0.10', '', 'dns', '172.16.0.0', '172.16.255.255', '172.16.0.256'));
const podCidr = mostly(
  fc.constantFrom('192.168.0.0/16', '100.96.0.0/12', '192.168.0.0/19'),
  fc.constantFrom('192.168.0.0/24', '192.168.0.0/22', '172.16.128.0/17', '192.0.2.0/24', '', 'pods', '10.244.0.0/16', '192.168.1.0/16'),
);
const istio = fc.oneof(
  fc.record({
    mode: optional(mostly(fc.constant(IstioMode.AKS_ADDON), notInEnum<IstioMode>('addon', 'AKS_ADDON', 'Helm'))),
    revision: optional(mostly(fc.constantFrom('asm-1-28', 'asm-1-29', 'asm-1-30'), fc.constantFrom('asm-1-9', 'ASM-1-30', '1.30', '', 'asm-1-30 '))),
    chartVersion: mostly(fc.constant(undefined), fc.constant('1.30.3')),
  }),
  fc.record({
    mode: fc.constant(IstioMode.HELM),
    revision: mostly(fc.constant(undefined), fc.constant('asm-1-30')),
    chartVersion: optional(mostly(fc.constantFrom('1.26.8', '1.29.2', '1.30.3'), fc.constantFrom('1.25.3', 'v1.30.3', '1.30', 'latest', ''))),
    chartRepository: optional(mostly(
      fc.constantFrom('https://istio-release.storage.googleapis.com/charts', 'oci://registry.contoso.example/istio'),
      fc.constantFrom('istio-release', 'http://charts.example.com', '', 'https://', 'https://charts example.com'),
    )),
    // 'ip-auto' is the hundredth address of the compute subnet.
    gatewayPrivateIp: optional(mostly(fc.constant('ip-auto'), fc.constantFrom('10.0.1.10', '10.0.16.3', '10.0.16.256', 'gateway', ''))),
  }),
);
const keyVault = fc.oneof(
  fc.record({
    keyVaultId: fc.constant(undefined),
    keyVaultName: optional(mostly(
      fc.oneof(fc.constantFrom('kv-mesh-prod', 'kvmesh01', 'KV-Mesh'), fc.stringMatching(/^[a-z][a-z0-9]{2,22}$/)),
      fc.constantFrom('kv', 'kv--mesh', '1kv-mesh', 'kv-mesh-', 'x'.repeat(25), 'kv_mesh', ''),
    )),
    keyVaultAllowedIpRanges: optional(mostly<string[]>(
      fc.uniqueArray(fc.constantFrom('203.0.113.10', '198.51.100.0/24', '20.50.0.0/16'), { maxLength: 2 }),
      fc.oneof(badRange.map((r) => [r]), lists(['10.0.0.0/8'], ['192.168.1.10'], ['172.20.0.0/16'], ['203.0.113.10', '203.0.113.10'])),
    )),
    keyVaultPrivateDnsZoneId: optional(mostly(fc.constant(VAULT_ZONE_ID), fc.constantFrom('zone', '', `${SUBSCRIPTION}/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/mesh.internal`))),
  }),
  fc.record({
    keyVaultId: mostly(fc.constant(VAULT_ID), fc.constantFrom('kv-central', '', `${VAULT_ID}/`, `${SUBSCRIPTION}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv`)),
    keyVaultName: mostly(fc.constant(undefined), fc.constant('kv-mesh-prod')),
    keyVaultAllowedIpRanges: mostly(fc.constant(undefined), lists(['203.0.113.10'])),
    keyVaultPrivateDnsZoneId: mostly(fc.constant(undefined), fc.constant(VAULT_ZONE_ID)),
  }),
);
const tags = mostly(
  maps({ env: 'prod' }, { 'env': 'dev', 'cost-center': '4711' }, {}),
  maps({ '': 'x' }, { 'a<b': 'x' }, { ['k'.repeat(513)]: 'v' }, { env: 'v'.repeat(257) }, { 'cost center': 'x' }, { '1env': 'x' }),
);

const clusterProps = fc.record({
  resourceGroupName: mostly(fc.constant('rg-mesh'), fc.constant('')),
  location: mostly(fc.constantFrom('westeurope', 'eastus2'), fc.constant('')),
  subnet,
  name: optional(name),
  dnsPrefix: optional(dnsPrefix),
  kubernetesVersion: optional(mostly(fc.constantFrom('1.33', '1.34', '1.34.2'), fc.constantFrom('latest', '', 'v1.34', '1.9', '1.34.2.1'))),
  skuTier: optional(enumOf(Object.values(AksSkuTier), 'standard', 'Paid', '')),
  authorizedIpRanges: apiServer,
  adminGroupObjectIds: optional(mostly(fc.uniqueArray(guid, { maxLength: 2 }), lists(['admins'], [''], ['11111111-1111-1111-1111-111111111111', '11111111-1111-1111-1111-111111111111']))),
  // The secure defaults only: localAccountsEnabled true, azurePolicyEnabled false and workloadIdentityEnabled false
  // are documented insecure opt-outs, which the policy pack reports as errors.
  localAccountsEnabled: optional(fc.constant(false)),
  azurePolicyEnabled: optional(fc.constant(true)),
  workloadIdentityEnabled: optional(fc.constant(true)),
  // An opt-out the pack reports as a warning only.
  hostEncryptionEnabled: optional(fc.boolean()),
  automaticUpgradeChannel: optional(enumOf(Object.values(AutomaticUpgradeChannel), 'Patch', 'none', '')),
  nodeOsUpgradeChannel: optional(enumOf(Object.values(NodeOsUpgradeChannel), 'nodeimage', 'Node-Image', '')),
  maintenanceWindow: optional(window),
  secretRotationInterval: optional(mostly(fc.constantFrom('2m', '1h', '30s', '1h30m'), fc.constantFrom('0m', '2 minutes', '', '2M', '-1m', '2', 'm'))),
  systemNodePool: optional(nodePool(true)),
  workloadNodePool: optional(nodePool(false)),
  zones: optional(mostly(lists(['1', '2', '3'], ['1', '2'], ['2'], []), lists(['4'], ['1', '1'], [''], ['zone-1'], [1 as unknown as string]))),
  networkPolicy: optional(enumOf(Object.values(NetworkPolicyEngine), 'Cilium', 'none', '')),
  podNetworking: optional(fc.oneof(
    { arbitrary: fc.constant(PodNetworking.OVERLAY), weight: 20 },
    { arbitrary: fc.constant(PodNetworking.VNET), weight: 5 },
    { arbitrary: notInEnum<PodNetworking>('Overlay', 'flat', ''), weight: 1 },
  )),
  podCidr: optional(podCidr),
  serviceCidr: optional(serviceCidr),
  dnsServiceIp: optional(dnsServiceIp),
  istio: optional(istio),
  hostDomain: optional(mostly(
    fc.constantFrom('mesh.internal', 'svc.contoso.internal', 'apps.corp.example.com'),
    fc.constantFrom('Mesh.internal', 'mesh', '', 'mesh..internal', '-mesh.internal', 'mesh.internal.', 'privatelink.vaultcore.azure.net'),
  )),
  keyVault: optional(keyVault),
  gatewayCertificateName: optional(mostly(fc.constantFrom('mesh-gateway', 'wildcard-svc', 'cert1'), fc.constantFrom('my_cert', '', 'x'.repeat(128), 'cert.pem'))),
  logAnalyticsWorkspaceId: optional(mostly(
    fc.constant(WORKSPACE_ID),
    fc.constantFrom('law-mesh', '', `${SUBSCRIPTION}/resourceGroups/rg-ops/providers/Microsoft.Storage/storageAccounts/stmesh`),
  )),
  tags: optional(tags),
});

const connection = fc.record({
  kubeloginMode: optional(enumOf(Object.values(KubeloginMode), 'azureCLI', 'interactive', '')),
  kubeloginEnv: optional(mostly(
    fc.oneof(guid.map((id) => ({ AZURE_CLIENT_ID: id })), fc.constant({})),
    fc.constantFrom({ '': 'x' }, { 'AZURE CLIENT ID': 'x' }, { '1ABC': 'x' }, { 'AZURE_CLIENT_ID=': 'x' }),
  )),
  providerAlias: optional(mostly(fc.constantFrom('mesh', 'prod', 'aks_2'), fc.constantFrom('', 'my alias', '1mesh', 'mesh.prod'))),
  restrictEgress: optional(fc.boolean()),
  certificateSyncImage: optional(mostly(
    fc.constantFrom('mcr.microsoft.com/oss/kubernetes/pause:3.6', 'registry.k8s.io/pause:3.10', `mcr.microsoft.com/oss/kubernetes/pause@sha256:${'a'.repeat(64)}`),
    fc.constantFrom('busybox:latest', 'busybox:LATEST', 'busybox', '', 'registry.local:5000/pause', 'Pause:3.6', 'pause: 3.6'),
  )),
  // Helm mode needs a third stack for the charts; the wrong ones are refused.
  installScope: fc.oneof({ arbitrary: fc.constant('own'), weight: 20 }, { arbitrary: fc.constantFrom('none', 'workloads', 'cluster'), weight: 1 }),
  // A second connection of the same cluster, in the same stack or another one.
  second: fc.oneof({ arbitrary: fc.constant('none'), weight: 20 }, { arbitrary: fc.constantFrom('same-stack', 'other-stack'), weight: 1 }),
});

// Always connected: without its in-cluster stack (STRICT mTLS) a cluster fails the pack (AGM-IS-001), as it should.
const arbitrary = fc.record({ cluster: clusterProps, connect: connection });
type Generated = typeof arbitrary extends fc.Arbitrary<infer T> ? T : never;

/** The n-th address of a literal IPv4 block, for the generated 'auto' addresses. */
function host(cidr: string, n: number): string {
  const [ip] = cidr.split('/');
  const parts = ip.split('.').map(Number);
  parts[3] += n % 256;
  parts[2] += Math.floor(n / 256);
  return parts.join('.');
}

function toProps(g: Generated['cluster']): MeshClusterProps {
  const subnetProps: ISubnet = {
    subnetId: `${VNET_ID}/subnets/snet-compute`,
    subnetName: 'snet-compute',
    addressPrefix: g.subnet.token ? Fn.element([g.subnet.addressPrefix], 0) : g.subnet.addressPrefix,
    virtualNetworkId: VNET_ID,
    virtualNetworkName: 'vnet-mesh',
    virtualNetworkAddressSpace: g.subnet.space,
  };
  const service = g.serviceCidr;
  const dns = g.dnsServiceIp === 'dns-auto'
    ? (service === undefined ? undefined : SERVICE_CIDRS.includes(service) ? host(service, 10) : '172.16.0.10')
    : g.dnsServiceIp;
  const istioProps = g.istio === undefined ? undefined : {
    ...g.istio,
    gatewayPrivateIp: 'gatewayPrivateIp' in g.istio && g.istio.gatewayPrivateIp === 'ip-auto'
      ? host(g.subnet.addressPrefix.replace(/^(compute|)$/, '10.0.16.0/20'), 100)
      : (g.istio as { gatewayPrivateIp?: string }).gatewayPrivateIp,
  };
  return {
    resourceGroupName: g.resourceGroupName,
    location: g.location,
    subnet: subnetProps,
    name: g.name,
    dnsPrefix: g.dnsPrefix,
    kubernetesVersion: g.kubernetesVersion,
    skuTier: g.skuTier,
    apiServerAccess: g.authorizedIpRanges === undefined ? undefined : ApiServerAccess.authorizedIpRanges(g.authorizedIpRanges),
    adminGroupObjectIds: g.adminGroupObjectIds,
    localAccountsEnabled: g.localAccountsEnabled,
    azurePolicyEnabled: g.azurePolicyEnabled,
    workloadIdentityEnabled: g.workloadIdentityEnabled,
    hostEncryptionEnabled: g.hostEncryptionEnabled,
    automaticUpgradeChannel: g.automaticUpgradeChannel,
    nodeOsUpgradeChannel: g.nodeOsUpgradeChannel,
    maintenanceWindow: g.maintenanceWindow,
    secretRotationInterval: g.secretRotationInterval,
    systemNodePool: g.systemNodePool,
    workloadNodePool: g.workloadNodePool,
    zones: g.zones,
    networkPolicy: g.networkPolicy,
    podNetworking: g.podNetworking,
    podCidr: g.podCidr,
    serviceCidr: service,
    dnsServiceIp: dns,
    istio: istioProps,
    hostDomain: g.hostDomain,
    ...g.keyVault,
    gatewayCertificateName: g.gatewayCertificateName,
    logAnalyticsWorkspaceId: g.logAnalyticsWorkspaceId,
    tags: g.tags,
  };
}

/**
 * The other stacks of the app (the in-cluster one, the charts') hold to the same property as the
 * cluster's stack, which the harness checks: they synthesize schema-valid and policy-clean, with no
 * undefined/NaN. Checked while the harness synthesizes the cluster's stack (as a validation of it),
 * with the harness's own policy pack, whose index of the app is built by then.
 */
function checkOtherStacks(clusterStack: TerraformStack, stacks: TerraformStack[], props: unknown): void {
  const pack = Aspects.of(clusterStack).all.find((a): a is GatewayMeshChecks => a instanceof GatewayMeshChecks);
  if (!pack) throw new Error('the harness applies GatewayMeshChecks to the cluster\'s stack before synthesizing it');
  for (const stack of stacks) {
    const where = `stack '${stack.node.id}' for props ${JSON.stringify(props)}`;
    Aspects.of(stack).add(pack);
    invokeAspects(stack);
    // As synthStack: the stack's own azurerm provider is the user's to add (connect() documents it).
    const invalid = stack.node.findAll().flatMap((c) => c.node.validate()).filter((m) => !/without a matching provider construct/.test(m));
    if (invalid.length > 0) throw new Error(`validation errors in ${where}:\n${invalid.join('\n')}`);
    const json = stack.toTerraform();
    if (/\bundefined\b|\bNaN\b|Infinity/.test(JSON.stringify(json))) throw new Error(`undefined/NaN/Infinity in ${where}`);
    const errors = validateTerraformJson(json);
    if (errors.length > 0) throw new Error(`schema violations in ${where}:\n${errors.join('\n')}`);
  }
  const failing = pack.findings.filter((f) => f.level === RuleLevel.ERROR && f.suppressionReason === undefined);
  if (failing.length > 0) throw new Error(`policy errors for props ${JSON.stringify(props)}:\n${failing.map((f) => `${f.path}: ${f.message}`).join('\n')}`);
}

const PROPS = [
  'resourceGroupName', 'location', 'subnet', 'name', 'dnsPrefix', 'kubernetesVersion', 'skuTier', 'apiServerAccess',
  'adminGroupObjectIds', 'automaticUpgradeChannel', 'nodeOsUpgradeChannel', 'maintenanceWindow', 'secretRotationInterval',
  'systemNodePool', 'workloadNodePool', 'zones', 'networkPolicy', 'podNetworking', 'podCidr', 'serviceCidr', 'dnsServiceIp',
  'istio', 'hostDomain', 'keyVaultId', 'keyVaultName', 'keyVaultAllowedIpRanges', 'keyVaultPrivateDnsZoneId',
  'gatewayCertificateName', 'logAnalyticsWorkspaceId', 'tags',
  // connect(scope, id, options)
  'scope', 'kubeloginMode', 'kubeloginEnv', 'providerAlias', 'certificateSyncImage', 'istioInstallScope',
];

/** The cluster in the harness's stack, connected to a stack of its own (and, in Helm mode, the charts' stack). */
function build(stack: TerraformStack, g: Generated): void {
  const cluster = new MeshCluster(stack, 'Mesh', toProps(g.cluster));
  const c = g.connect;
  const app = stack.node.root as App;
  const workloads = new TerraformStack(app, 'workloads');
  const own = cluster.istioMode === IstioMode.HELM && c.installScope === 'own' ? new TerraformStack(app, 'istio') : undefined;
  const installScope = cluster.istioMode !== IstioMode.HELM ? undefined
    : c.installScope === 'own' ? own : c.installScope === 'workloads' ? workloads : c.installScope === 'cluster' ? stack : undefined;
  const options: MeshConnectionOptions = {
    kubeloginMode: c.kubeloginMode,
    kubeloginEnv: c.kubeloginEnv,
    providerAlias: c.providerAlias,
    restrictEgress: c.restrictEgress,
    certificateSyncImage: c.certificateSyncImage,
    istioInstallScope: installScope,
  };
  cluster.connect(workloads, 'Mesh', options);
  if (c.second === 'same-stack') cluster.connect(workloads, 'Mesh2', { ...options, providerAlias: 'second' });
  if (c.second === 'other-stack') cluster.connect(new TerraformStack(app, 'workloads2'), 'Mesh', { ...options, istioInstallScope: undefined });
  const others = own ? [workloads, own] : [workloads];
  stack.node.addValidation({ validate: () => { checkOtherStacks(stack, others, g); return []; } });
}

test('MeshCluster: 1000 generated prop sets (and connect options) synthesize valid, policy-clean stacks or fail naming the prop', () => {
  const counts = assertConstructProperty(arbitrary, PROPS, build);
  expect(counts.synthesized).toBeGreaterThan(100);
  expect(counts.rejected).toBeGreaterThan(100);
});
