import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { App, Fn, LocalBackend, TerraformStack } from 'cdktf';
import * as fc from 'fast-check';
import {
  AksSkuTier, ApiServerAccess, AutomaticUpgradeChannel, ClusterStackGuard, ISubnet, IstioHelmInstall, IstioMode, KubeloginMode,
  MeshCluster, MeshClusterProps, MeshConnectionOptions, NetworkPolicyEngine, NodeOsUpgradeChannel, PodNetworking,
  TieredNetwork,
} from '../lib';
import { expectValidStack, synthStack } from './support';

const placement = { resourceGroupName: 'rg-mesh', location: 'westeurope' };
const WORKSPACE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-mesh';
const VAULT = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-central';
const VAULT_ZONE = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-hub/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net';

/** A literal compute subnet (10.0.16.0/20 in 10.0.0.0/16 unless told). */
function subnet(addressPrefix = '10.0.16.0/20', virtualNetworkAddressSpace = ['10.0.0.0/16']): ISubnet {
  const vnet = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-mesh/providers/Microsoft.Network/virtualNetworks/vnet-mesh';
  return {
    subnetId: `${vnet}/subnets/snet-compute`,
    subnetName: 'snet-compute',
    addressPrefix,
    virtualNetworkId: vnet,
    virtualNetworkName: 'vnet-mesh',
    virtualNetworkAddressSpace,
  };
}

/** A cluster in its own stack, with the given props over the defaults. */
function newCluster(props: Partial<MeshClusterProps> = {}): MeshCluster {
  const stack = new TerraformStack(new App(), 'platform');
  return new MeshCluster(stack, 'Mesh', { ...placement, subnet: subnet(), ...props });
}

/**
 * Checks every stack of the app against the provider schemas and Istio's CRDs (1.26 and 1.30).
 * `synthStack` prepares the app first, as `app.synth()` does: the cross-stack references are wired
 * (sensitive outputs in the cluster's stack, `terraform_remote_state` in the others), so that the
 * snapshots taken afterwards show the real wiring.
 */
function validateAndPrepare(app: App): void {
  for (const stack of app.node.findAll().filter(TerraformStack.isStack)) {
    expectValidStack(stack);
    expectValidStack(stack, '1.30');
  }
}

/** A stack with a local backend at a relative path, so the remote state others read is machine-independent. */
function newStack(app: App, id: string): TerraformStack {
  const stack = new TerraformStack(app, id);
  new LocalBackend(stack, { path: `terraform.${id}.tfstate` });
  return stack;
}

function addonTopology(props: Partial<MeshClusterProps> = {}, options: MeshConnectionOptions = {}) {
  const app = new App();
  const platform = newStack(app, 'platform');
  const network = new TieredNetwork(platform, 'Network', placement);
  const cluster = new MeshCluster(platform, 'Mesh', { ...placement, subnet: network.computeSubnet, ...props });
  const workloads = newStack(app, 'workloads');
  const mesh = cluster.connect(workloads, 'Mesh', options);
  validateAndPrepare(app);
  return { app, platform, workloads, cluster, mesh };
}

function helmTopology(props: Partial<MeshClusterProps> = {}, options: MeshConnectionOptions = {}, istio: MeshClusterProps['istio'] = {}) {
  const app = new App();
  const platform = newStack(app, 'platform');
  const network = new TieredNetwork(platform, 'Network', placement);
  const cluster = new MeshCluster(platform, 'Mesh', { ...placement, subnet: network.computeSubnet, ...props, istio: { mode: IstioMode.HELM, ...istio } });
  const istioStack = newStack(app, 'istio');
  const workloads = newStack(app, 'workloads');
  const mesh = cluster.connect(workloads, 'Mesh', { ...options, istioInstallScope: istioStack });
  validateAndPrepare(app);
  return { app, platform, istioStack, workloads, cluster, mesh };
}

const only = (json: any, type: string): any => {
  const all = Object.values(json.resource?.[type] ?? {});
  expect(all).toHaveLength(1);
  return all[0];
};
const manifests = (json: any): any[] => Object.values(json.resource.kubernetes_manifest).map((m: any) => m.manifest);
const manifest = (json: any, kind: string): any => manifests(json).find((m) => m.kind === kind);

describe('MeshCluster with the AKS Istio add-on', () => {
  test('defaults', () => {
    const { platform, workloads, cluster, mesh } = addonTopology();
    const json = synthStack(platform);
    const wl = synthStack(workloads);
    expect(json).toMatchSnapshot();
    expect(wl).toMatchSnapshot();

    // The cluster: every hardening switch on.
    const aks = only(json, 'azurerm_kubernetes_cluster');
    expect(cluster.node.defaultChild).toBe(cluster.resource);
    expect(aks).toMatchObject({
      name: 'aks-mesh',
      sku_tier: 'Standard',
      private_cluster_enabled: true,
      private_cluster_public_fqdn_enabled: false,
      local_account_disabled: true,
      role_based_access_control_enabled: true,
      oidc_issuer_enabled: true,
      workload_identity_enabled: true,
      azure_policy_enabled: true,
      automatic_upgrade_channel: 'patch',
      node_os_upgrade_channel: 'NodeImage',
      identity: { type: 'SystemAssigned' },
      azure_active_directory_role_based_access_control: { azure_rbac_enabled: true },
      key_vault_secrets_provider: { secret_rotation_enabled: true, secret_rotation_interval: '2m' },
      network_profile: {
        network_plugin: 'azure',
        network_plugin_mode: 'overlay',
        network_policy: 'cilium',
        network_data_plane: 'cilium',
        pod_cidr: '192.168.0.0/16',
        service_cidr: '172.16.0.0/16',
        dns_service_ip: '172.16.0.10',
        load_balancer_sku: 'standard',
      },
      service_mesh_profile: {
        mode: 'Istio', revisions: ['asm-1-30'], internal_ingress_gateway_enabled: true, external_ingress_gateway_enabled: false,
      },
      default_node_pool: {
        name: 'system',
        only_critical_addons_enabled: true,
        node_public_ip_enabled: false,
        zones: ['1', '2', '3'],
        auto_scaling_enabled: true,
        min_count: 2,
        max_count: 3,
        max_pods: 110,
        vm_size: 'Standard_D4ds_v5',
      },
      maintenance_window_auto_upgrade: { frequency: 'Weekly', interval: 1, day_of_week: 'Sunday', start_time: '00:00', duration: 4, utc_offset: '+00:00' },
    });
    expect(aks.maintenance_window_node_os).toEqual(aks.maintenance_window_auto_upgrade);
    expect(aks.api_server_access_profile).toBeUndefined();
    expect(aks.oms_agent).toBeUndefined();
    expect(json.resource.azurerm_monitor_diagnostic_setting).toBeUndefined();
    expect(only(json, 'azurerm_kubernetes_cluster_node_pool')).toMatchObject({
      name: 'workload', mode: 'User', zones: ['1', '2', '3'], node_public_ip_enabled: false, min_count: 2, max_count: 10, max_pods: 110,
    });

    // Key Vault: RBAC, purge protection, deny by default, reached through a private endpoint.
    expect(only(json, 'azurerm_key_vault')).toMatchObject({
      rbac_authorization_enabled: true,
      purge_protection_enabled: true,
      public_network_access_enabled: false,
      network_acls: { default_action: 'Deny', bypass: 'AzureServices', ip_rules: [] },
    });
    expect(only(json, 'azurerm_key_vault').name).toMatch(/^kv-mesh-\$\{substr\(sha1\(join\("\/", \[data\.azurerm_client_config\.AzureClientConfig\.subscription_id, "rg-mesh", "platform\/Mesh"\]\)\), 0, 8\)\}$/);
    expect(only(json, 'azurerm_private_endpoint').private_service_connection.subresource_names).toEqual(['vault']);
    const roles = Object.values<any>(json.resource.azurerm_role_assignment).map((r) => r.role_definition_name).sort();
    expect(roles).toEqual(['Key Vault Secrets User', 'Network Contributor']);

    // NSG on the compute subnet; the mesh domain's private zone linked to the VNet.
    expect(only(json, 'azurerm_subnet_network_security_group_association').subnet_id).toMatch(/azurerm_subnet\.Network_ComputeSubnet/);
    const rules = Object.values<any>(json.resource.azurerm_network_security_rule);
    expect(rules.find((r) => r.source_address_prefix === 'Internet')).toMatchObject({ access: 'Deny', direction: 'Inbound' });
    const zones = Object.values<any>(json.resource.azurerm_private_dns_zone).map((z) => z.name).sort();
    expect(zones).toEqual(['mesh.internal', 'privatelink.vaultcore.azure.net']);
    expect(Object.values<any>(json.resource.azurerm_private_dns_zone_virtual_network_link).every((l) => /azurerm_virtual_network/.test(l.virtual_network_id))).toBe(true);

    // The cluster's stack exports what the in-cluster stack reads, marked sensitive.
    expect(Object.values<any>(json.output).every((o) => o.sensitive === true)).toBe(true);
    expect(Object.keys(wl.data.terraform_remote_state)).toHaveLength(1);

    // The in-cluster stack: providers with kubelogin, STRICT mTLS, egress restriction, HTTPS gateway, DNS.
    const exec = wl.provider.kubernetes[0].exec[0];
    expect(exec).toEqual({
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'kubelogin',
      args: ['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630'],
    });
    expect(wl.provider.kubernetes[0].host).toMatch(/terraform_remote_state/);
    expect(wl.provider.helm[0].kubernetes.exec).toEqual(exec);
    expect(manifest(wl, 'PeerAuthentication')).toEqual({
      apiVersion: 'security.istio.io/v1',
      kind: 'PeerAuthentication',
      metadata: { name: 'default', namespace: 'aks-istio-system' },
      spec: { mtls: { mode: 'STRICT' } },
    });
    expect(manifest(wl, 'Sidecar')).toMatchObject({
      metadata: { name: 'default', namespace: 'aks-istio-system' }, spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
    expect(manifest(wl, 'Gateway')).toMatchObject({
      metadata: { name: 'mesh-gateway', namespace: 'aks-istio-ingress' },
      spec: {
        selector: { istio: 'aks-istio-ingressgateway-internal' },
        servers: [{ port: { number: 443, protocol: 'HTTPS' }, hosts: ['*.mesh.internal'], tls: { mode: 'SIMPLE', credentialName: 'mesh-gateway-tls' } }],
      },
    });
    expect(manifest(wl, 'SecretProviderClass')).toMatchObject({
      metadata: { namespace: 'aks-istio-ingress' },
      spec: { secretObjects: [{ secretName: 'mesh-gateway-tls', type: 'kubernetes.io/tls' }], parameters: { useVMManagedIdentity: 'true' } },
    });
    const sync = only(wl, 'kubernetes_deployment_v1');
    expect(sync.spec.replicas).toBe('2');
    expect(sync.spec.template.spec.container[0].security_context)
      .toMatchObject({ run_as_non_root: true, read_only_root_filesystem: true, allow_privilege_escalation: false });
    expect(only(wl, 'kubernetes_pod_disruption_budget_v1').spec.min_available).toBe('1');
    expect(wl.data.kubernetes_service_v1[Object.keys(wl.data.kubernetes_service_v1)[0]].metadata)
      .toEqual({ name: 'aks-istio-ingressgateway-internal', namespace: 'aks-istio-ingress' });
    expect(only(wl, 'azurerm_private_dns_a_record')).toMatchObject({ name: '*', ttl: 300 });
    expect(only(wl, 'azurerm_private_dns_a_record').records[0]).toMatch(/data\.kubernetes_service_v1\..*\.status\[0\]\.load_balancer\[0\]\.ingress\[0\]\.ip/);

    // The IMesh facts.
    expect(mesh).toMatchObject({
      istioMode: IstioMode.AKS_ADDON,
      revision: 'asm-1-30',
      rootNamespace: 'aks-istio-system',
      ingressGatewayNamespace: 'aks-istio-ingress',
      ingressGatewaySelector: { istio: 'aks-istio-ingressgateway-internal' },
      gatewayRef: 'aks-istio-ingress/mesh-gateway',
      hostDomain: 'mesh.internal',
      injectionLabels: { 'istio.io/rev': 'asm-1-30' },
    });
    expect(mesh.ingressGatewayPeer.principal).toBe('cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal');
  });

  test('all options', () => {
    const { platform, workloads, mesh } = addonTopology({
      name: 'aks-prod',
      dnsPrefix: 'aksprod',
      kubernetesVersion: '1.34',
      skuTier: AksSkuTier.PREMIUM,
      apiServerAccess: ApiServerAccess.authorizedIpRanges(['203.0.113.0/24', '198.51.100.7']),
      adminGroupObjectIds: ['11111111-1111-1111-1111-111111111111'],
      localAccountsEnabled: true,
      azurePolicyEnabled: false,
      workloadIdentityEnabled: false,
      automaticUpgradeChannel: AutomaticUpgradeChannel.STABLE,
      nodeOsUpgradeChannel: NodeOsUpgradeChannel.SECURITY_PATCH,
      maintenanceWindow: { dayOfWeek: 'Saturday', startTime: '22:30', durationHours: 6, utcOffset: '+01:00' },
      secretRotationInterval: '1h',
      systemNodePool: { vmSize: 'Standard_D8ds_v5', minCount: 3, maxCount: 5, maxPods: 60, maxSurge: '1' },
      workloadNodePool: { vmSize: 'Standard_E8ds_v5', minCount: 0, maxCount: 4, maxPods: 50, maxSurge: '50%' },
      zones: ['1', '2'],
      networkPolicy: NetworkPolicyEngine.CALICO,
      podNetworking: PodNetworking.VNET,
      serviceCidr: '10.200.0.0/16',
      dnsServiceIp: '10.200.0.53',
      istio: { mode: IstioMode.AKS_ADDON, revision: 'asm-1-29' },
      hostDomain: 'svc.contoso.internal',
      keyVaultId: VAULT,
      gatewayCertificateName: 'wildcard-svc',
      logAnalyticsWorkspaceId: WORKSPACE,
      tags: { env: 'prod' },
    }, {
      kubeloginMode: KubeloginMode.WORKLOAD_IDENTITY,
      kubeloginEnv: { AZURE_CLIENT_ID: '22222222-2222-2222-2222-222222222222' },
      providerAlias: 'prod',
      restrictEgress: false,
      certificateSyncImage: 'mcr.microsoft.com/oss/kubernetes/pause@sha256:' + 'a'.repeat(64),
    });
    const json = synthStack(platform);
    const wl = synthStack(workloads);
    expect(json).toMatchSnapshot();
    expect(wl).toMatchSnapshot();

    const aks = only(json, 'azurerm_kubernetes_cluster');
    expect(aks).toMatchObject({
      sku_tier: 'Premium',
      private_cluster_enabled: false,
      local_account_disabled: false,
      azure_policy_enabled: false,
      api_server_access_profile: { authorized_ip_ranges: ['203.0.113.0/24', '198.51.100.7'] },
      network_profile: { network_policy: 'calico', network_data_plane: 'azure', service_cidr: '10.200.0.0/16' },
      service_mesh_profile: { revisions: ['asm-1-29'] },
      oms_agent: { log_analytics_workspace_id: WORKSPACE, msi_auth_for_monitoring_enabled: true },
      tags: { env: 'prod' },
    });
    expect(aks.network_profile.network_plugin_mode).toBeUndefined();
    expect(aks.network_profile.pod_cidr).toBeUndefined();
    // An existing vault: none created, read access granted on it.
    expect(json.resource.azurerm_key_vault).toBeUndefined();
    expect(json.resource.azurerm_private_endpoint).toBeUndefined();
    expect(Object.values<any>(json.resource.azurerm_role_assignment).find((r) => r.role_definition_name === 'Key Vault Secrets User').scope).toBe(VAULT);
    expect(Object.values<any>(json.resource.azurerm_monitor_diagnostic_setting)).toHaveLength(1);
    expect(manifest(wl, 'SecretProviderClass').spec.parameters.keyvaultName).toBe('kv-central');
    expect(manifest(wl, 'Sidecar')).toBeUndefined();
    expect(manifest(wl, 'Gateway').spec.servers[0].hosts).toEqual(['*.svc.contoso.internal']);
    expect(wl.provider.kubernetes[0]).toMatchObject({ alias: 'prod', exec: [{ env: { AZURE_CLIENT_ID: '22222222-2222-2222-2222-222222222222' } }] });
    expect(wl.provider.kubernetes[0].exec[0].args).toContain('workloadidentity');
    expect(Object.values<any>(wl.resource.kubernetes_manifest).every((m) => m.provider === 'kubernetes.prod')).toBe(true);
    expect(mesh.injectionLabels).toEqual({ 'istio.io/rev': 'asm-1-29' });
  });
});

describe('MeshCluster host encryption', () => {
  test('is on for both node pools by default, and an explicit opt-out turns it off', () => {
    const on = synthStack(TerraformStack.of(newCluster()));
    expect(only(on, 'azurerm_kubernetes_cluster').default_node_pool.host_encryption_enabled).toBe(true);
    expect(only(on, 'azurerm_kubernetes_cluster_node_pool').host_encryption_enabled).toBe(true);
    const off = synthStack(TerraformStack.of(newCluster({ hostEncryptionEnabled: false })));
    expect(only(off, 'azurerm_kubernetes_cluster').default_node_pool.host_encryption_enabled).toBe(false);
    expect(only(off, 'azurerm_kubernetes_cluster_node_pool').host_encryption_enabled).toBe(false);
  });
});

describe('MeshCluster with Istio installed by Helm', () => {
  test('defaults', () => {
    const { platform, istioStack, workloads, mesh } = helmTopology();
    const json = synthStack(platform);
    const charts = synthStack(istioStack);
    const wl = synthStack(workloads);
    expect(json).toMatchSnapshot();
    expect(charts).toMatchSnapshot();
    expect(wl).toMatchSnapshot();

    expect(only(json, 'azurerm_kubernetes_cluster').service_mesh_profile).toBeUndefined();
    const releases = Object.values<any>(charts.resource.helm_release);
    expect(releases.map((r) => [r.chart, r.namespace, r.version]).sort()).toEqual([
      ['base', 'istio-system', '1.30.3'], ['gateway', 'istio-ingress', '1.30.3'], ['istiod', 'istio-system', '1.30.3'],
    ]);
    expect(releases.every((r) => r.repository === 'https://istio-release.storage.googleapis.com/charts')).toBe(true);
    const [istiod, gateway] = ['istiod', 'gateway'].map((chart) => releases.find((r) => r.chart === chart));
    expect(gateway.depends_on[0]).toMatch(/helm_release\..*Istiod/);
    expect(istiod.set).toContainEqual({ name: 'meshConfig.outboundTrafficPolicy.mode', value: 'REGISTRY_ONLY' });
    expect(istiod.depends_on[0]).toMatch(/helm_release\..*Base/);
    expect(gateway.name).toBe('istio-ingressgateway-internal');
    expect(gateway.set).toContainEqual({ name: 'service.annotations.service\\.beta\\.kubernetes\\.io/azure-load-balancer-internal', value: 'true', type: 'string' });
    expect(gateway.set.some((s: any) => /azure-load-balancer-ipv4/.test(s.name))).toBe(false);
    expect(charts.provider.helm[0].kubernetes.exec.command).toBe('kubelogin');
    expect(charts.resource.kubernetes_manifest).toBeUndefined();

    // Charts before manifests: the workloads stack depends on the charts' stack.
    expect(workloads.dependencies).toContain(istioStack);
    expect(manifest(wl, 'PeerAuthentication').metadata.namespace).toBe('istio-system');
    expect(manifest(wl, 'Sidecar')).toBeUndefined();
    expect(manifest(wl, 'Gateway').spec.selector).toEqual({ istio: 'ingressgateway-internal' });
    expect(mesh).toMatchObject({
      istioMode: IstioMode.HELM,
      revision: '1.30.3',
      rootNamespace: 'istio-system',
      ingressGatewayNamespace: 'istio-ingress',
      gatewayRef: 'istio-ingress/mesh-gateway',
      injectionLabels: { 'istio-injection': 'enabled' },
    });
    expect(mesh.ingressGatewayPeer.principal).toBe('cluster.local/ns/istio-ingress/sa/istio-ingressgateway-internal');
    expect(mesh.istioInstall?.gatewayRelease.chartInput).toBe('gateway');
  });

  test('all options', () => {
    const { platform, istioStack, workloads } = helmTopology({
      keyVaultName: 'kv-mesh-prod',
      keyVaultAllowedIpRanges: ['203.0.113.10'],
      keyVaultPrivateDnsZoneId: VAULT_ZONE,
      logAnalyticsWorkspaceId: WORKSPACE,
      hostDomain: 'apps.internal',
    }, {
      kubeloginMode: KubeloginMode.SERVICE_PRINCIPAL, restrictEgress: false,
    }, {
      chartVersion: '1.29.2', chartRepository: 'oci://registry.contoso.example/istio', gatewayPrivateIp: '10.0.16.100',
    });
    const json = synthStack(platform);
    const charts = synthStack(istioStack);
    const wl = synthStack(workloads);
    expect(json).toMatchSnapshot();
    expect(charts).toMatchSnapshot();
    expect(wl).toMatchSnapshot();

    expect(only(json, 'azurerm_key_vault')).toMatchObject({
      name: 'kv-mesh-prod', public_network_access_enabled: true, network_acls: { default_action: 'Deny', ip_rules: ['203.0.113.10'] },
    });
    // The hub's privatelink zone is used, none created.
    expect(only(json, 'azurerm_private_endpoint').private_dns_zone_group.private_dns_zone_ids).toEqual([VAULT_ZONE]);
    expect(Object.values<any>(json.resource.azurerm_private_dns_zone).map((z) => z.name)).toEqual(['apps.internal']);
    expect(Object.values<any>(json.resource.azurerm_monitor_diagnostic_setting).map((d) => d.name).sort()).toEqual(['diag-aks', 'diag-keyvault']);
    const [istiod, gateway] = ['istiod', 'gateway'].map((chart) => Object.values<any>(charts.resource.helm_release).find((r) => r.chart === chart));
    expect(istiod.set.some((s: any) => s.name === 'meshConfig.outboundTrafficPolicy.mode')).toBe(false);
    expect(gateway.version).toBe('1.29.2');
    expect(gateway.repository).toBe('oci://registry.contoso.example/istio');
    expect(gateway.set).toContainEqual({ name: 'service.annotations.service\\.beta\\.kubernetes\\.io/azure-load-balancer-ipv4', value: '10.0.16.100', type: 'string' });
    expect(charts.provider.helm[0].kubernetes.exec.args).toContain('spn');
    expect(manifest(wl, 'Gateway').spec.servers[0].hosts).toEqual(['*.apps.internal']);
  });
});

describe('the two-stack split', () => {
  test('fails when a stack creates the cluster and plans kubernetes_manifest resources', () => {
    const cluster = newCluster();
    new Manifest(cluster.node.scope!, 'Stray', {
      manifest: { apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata: { name: 'default', namespace: 'aks-istio-system' }, spec: {} },
    });
    expect(() => synthStack(TerraformStack.of(cluster)))
      .toThrow(/Stack 'platform' creates the AKS cluster 'platform\/Mesh\/Resource' and also plans kubernetes_manifest resources \('platform\/Stray'\)\. kubernetes_manifest reads the cluster's API at plan time/);
  });

  test('the guard is reusable, reports once per stack, and passes a stack with only one of the two', () => {
    const workloads = new TerraformStack(new App(), 'workloads');
    new Manifest(workloads, 'Only', { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'y' } } });
    expect(ClusterStackGuard.apply(workloads)).toBe(workloads);
    expect(workloads.node.validate().filter((m) => /kubernetes_manifest/.test(m))).toEqual([]);

    const cluster = newCluster();
    const platform = ClusterStackGuard.apply(cluster);
    ClusterStackGuard.apply(platform);
    new Manifest(platform, 'Stray', { manifest: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'y' } } });
    expect(platform.node.validate().filter((m) => /kubernetes_manifest reads/.test(m))).toHaveLength(1);
  });

  test('fails when connect() targets the cluster\'s own stack', () => {
    const cluster = newCluster();
    expect(() => cluster.connect(cluster.node.scope!, 'InCluster'))
      .toThrow(/MeshConnection at 'platform\/InCluster': invalid 'scope': got "platform"; expected a construct in another TerraformStack than the cluster's \('platform'\)/);
  });

  test('fails when Helm mode has no istioInstallScope', () => {
    const cluster = newCluster({ istio: { mode: IstioMode.HELM } });
    const workloads = new TerraformStack(cluster.node.root, 'workloads');
    expect(() => cluster.connect(workloads, 'Mesh')).toThrow(/invalid 'istioInstallScope': got undefined; required with IstioMode.HELM/);
  });

  test('fails when the charts would share a stack with the cluster or the manifests', () => {
    const cluster = newCluster({ istio: { mode: IstioMode.HELM } });
    const workloads = new TerraformStack(cluster.node.root, 'workloads');
    expect(() => cluster.connect(workloads, 'Mesh', { istioInstallScope: workloads }))
      .toThrow(/invalid 'istioInstallScope': got "workloads"; expected a construct in a stack other than the cluster's \('platform'\) and this connection's \('workloads'\)/);
  });

  test('fails when istioInstallScope is given in add-on mode', () => {
    const cluster = newCluster();
    const app = cluster.node.root;
    expect(() => cluster.connect(new TerraformStack(app, 'workloads'), 'Mesh', { istioInstallScope: new TerraformStack(app, 'istio') }))
      .toThrow(/invalid 'istioInstallScope': got "istio"; only used with IstioMode.HELM/);
  });

  test('fails when the certificate sync image is not pinned', () => {
    const cluster = newCluster();
    expect(() => cluster.connect(new TerraformStack(cluster.node.root, 'workloads'), 'Mesh', { certificateSyncImage: 'busybox:latest' }))
      .toThrow(/invalid 'certificateSyncImage': got "busybox:latest"; expected a pinned image: a tag other than "latest"/);
    expect(() => cluster.connect(new TerraformStack(cluster.node.root, 'workloads2'), 'Mesh', { certificateSyncImage: 'registry.local:5000/pause' }))
      .toThrow(/invalid 'certificateSyncImage'/);
  });

  test('fails when IstioHelmInstall is used without Helm mode or in the cluster\'s stack', () => {
    const addon = newCluster();
    expect(() => new IstioHelmInstall(new TerraformStack(addon.node.root, 'istio'), 'Istio', { cluster: addon }))
      .toThrow(/IstioHelmInstall at 'istio\/Istio': invalid 'cluster': got "platform\/Mesh"; expected a MeshCluster with istio.mode IstioMode.HELM/);
    const helm = newCluster({ istio: { mode: IstioMode.HELM } });
    expect(() => new IstioHelmInstall(helm.node.scope!, 'Istio', { cluster: helm }))
      .toThrow(/invalid 'scope': got "platform"; expected a construct in another TerraformStack than the cluster's/);
  });

  test('fails when the certificate sync image is not an image reference, or is tagged latest in another case', () => {
    const cluster = newCluster();
    expect(() => cluster.connect(new TerraformStack(cluster.node.root, 'workloads'), 'Mesh', { certificateSyncImage: 'Pause:3.6' }))
      .toThrow(/invalid 'certificateSyncImage': got "Pause:3.6"; expected an image reference "\[registry\/\]repository\[:tag\]\[@sha256:<64 lower-case hex>\]" with a lower-case repository/);
    expect(() => cluster.connect(new TerraformStack(cluster.node.root, 'workloads2'), 'Mesh', { certificateSyncImage: 'busybox:LATEST' }))
      .toThrow(/invalid 'certificateSyncImage': got "busybox:LATEST"; expected a pinned image: a tag other than "latest"/);
  });

  test('fails when a kubelogin environment variable name is not one', () => {
    const cluster = newCluster();
    expect(() => cluster.connect(new TerraformStack(cluster.node.root, 'workloads'), 'Mesh', { kubeloginEnv: { 'AZURE CLIENT ID': 'x' } }))
      .toThrow(/invalid 'kubeloginEnv.AZURE CLIENT ID': got "AZURE CLIENT ID"; expected an environment variable name such as "AZURE_CLIENT_ID"/);
  });

  test('fails when a cluster is connected twice', () => {
    const cluster = newCluster();
    const app = cluster.node.root;
    const workloads = new TerraformStack(app, 'workloads');
    cluster.connect(workloads, 'Mesh');
    expect(() => cluster.connect(workloads, 'Mesh2', { providerAlias: 'second' }))
      .toThrow(/MeshConnection at 'workloads\/Mesh2': invalid 'scope': got "workloads"; expected one connection per cluster: 'platform\/Mesh' is already connected at 'workloads\/Mesh'/);
    expect(() => cluster.connect(new TerraformStack(app, 'other'), 'Mesh')).toThrow(/expected one connection per cluster/);
  });

  test('fails when two connections (or chart installs) in one stack share a provider alias', () => {
    const app = new App();
    const clusters = ['blue', 'green'].map((id) => new MeshCluster(new TerraformStack(app, id), 'Mesh', {
      ...placement, subnet: subnet(), name: `aks-${id}`, istio: { mode: IstioMode.HELM },
    }));
    const [workloads, charts] = [new TerraformStack(app, 'workloads'), new TerraformStack(app, 'charts')];
    clusters[0].connect(workloads, 'Blue', { istioInstallScope: charts });
    expect(() => clusters[1].connect(workloads, 'Green', { istioInstallScope: new TerraformStack(app, 'charts2') }))
      .toThrow(/MeshConnection at 'workloads\/Green': invalid 'providerAlias': got undefined; expected an alias that 'workloads\/Blue' in the same stack does not use/);
    expect(() => new IstioHelmInstall(charts, 'GreenIstio', { cluster: clusters[1] }))
      .toThrow(/IstioHelmInstall at 'charts\/GreenIstio': invalid 'providerAlias': got undefined; expected an alias that 'charts\/BlueIstio' in the same stack does not use/);
    const green = clusters[1].connect(workloads, 'GreenMesh', { istioInstallScope: new TerraformStack(app, 'charts3'), providerAlias: 'green' });
    expect(green.kubernetesProvider.alias).toBe('green');
  });

  test('fails when the provider alias is not a Terraform identifier', () => {
    const cluster = newCluster();
    expect(() => cluster.connect(new TerraformStack(cluster.node.root, 'workloads'), 'Mesh', { providerAlias: 'my alias' }))
      .toThrow(/invalid 'providerAlias': got "my alias"; expected a Terraform identifier/);
  });
});

describe('MeshCluster input validation', () => {
  test('fails when a required prop is missing', () => {
    expect(() => newCluster({ subnet: undefined as unknown as ISubnet })).toThrow(/invalid 'subnet': got undefined; a value is required/);
    expect(() => newCluster({ location: '' })).toThrow(/invalid 'location': got ""; a value is required/);
  });

  test('fails when the add-on revision is not asm-1-NN', () => {
    expect(() => newCluster({ istio: { revision: '1.30' } }))
      .toThrow(/MeshCluster at 'platform\/Mesh': invalid 'istio.revision': got "1.30"; expected an add-on revision of the form "asm-1-NN"/);
  });

  test('accepts exactly the revisions of the form asm-1-NN (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 12 }), (revision) => {
      const valid = /^asm-1-\d{2}$/.test(revision);
      let threw = false;
      try { newCluster({ istio: { revision } }); } catch { threw = true; }
      return threw !== valid;
    }), { numRuns: 60 });
    fc.assert(fc.property(fc.integer({ min: 10, max: 99 }), (minor) => {
      return newCluster({ istio: { revision: `asm-1-${minor}` } }).revision === `asm-1-${minor}`;
    }), { numRuns: 20 });
  });

  test('fails when the chart version is not an Istio 1.26+ release', () => {
    expect(() => newCluster({ istio: { mode: IstioMode.HELM, chartVersion: '1.25.3' } }))
      .toThrow(/invalid 'istio.chartVersion': got "1.25.3"; expected an Istio release "1.NN.P", 1.26 or newer/);
  });

  test('fails when a Helm option is given in add-on mode, or the add-on revision in Helm mode', () => {
    expect(() => newCluster({ istio: { chartVersion: '1.30.3' } }))
      .toThrow(/invalid 'istio.chartVersion': got "1.30.3"; only used with IstioMode.HELM/);
    expect(() => newCluster({ istio: { mode: IstioMode.HELM, revision: 'asm-1-30' } }))
      .toThrow(/invalid 'istio.revision': got "asm-1-30"; only used with IstioMode.AKS_ADDON/);
  });

  test('fails when the chart repository is not a URL', () => {
    expect(() => newCluster({ istio: { mode: IstioMode.HELM, chartRepository: 'istio-release' } }))
      .toThrow(/invalid 'istio.chartRepository': got "istio-release"; expected an https:\/\/ or oci:\/\/ repository URL/);
  });

  test('fails when the system pool has fewer than 2 nodes', () => {
    expect(() => newCluster({ systemNodePool: { minCount: 1 } }))
      .toThrow(/invalid 'systemNodePool.minCount': got 1; expected a whole number from 2 to 1000/);
  });

  test('fails when a node VM size has fewer than 2 vCPUs', () => {
    expect(() => newCluster({ workloadNodePool: { vmSize: 'Standard_A1_v2' } }))
      .toThrow(/invalid 'workloadNodePool.vmSize': got "Standard_A1_v2"; expected a VM size with at least 2 vCPUs/);
  });

  test('fails when the system pool uses burstable B-series VMs', () => {
    expect(() => newCluster({ systemNodePool: { vmSize: 'Standard_B4ms' } }))
      .toThrow(/invalid 'systemNodePool.vmSize': got "Standard_B4ms"; expected a non-burstable VM size for the system pool/);
  });

  test('fails when the VM size is not an Azure size', () => {
    expect(() => newCluster({ systemNodePool: { vmSize: 'large' } }))
      .toThrow(/invalid 'systemNodePool.vmSize': got "large"; expected an Azure VM size/);
  });

  test('fails when max pods is below 50', () => {
    expect(() => newCluster({ systemNodePool: { maxPods: 30 } }))
      .toThrow(/invalid 'systemNodePool.maxPods': got 30; expected a whole number from 50 to 250/);
  });

  test('fails when maxCount is below minCount', () => {
    expect(() => newCluster({ workloadNodePool: { minCount: 5, maxCount: 3 } }))
      .toThrow(/invalid 'workloadNodePool.maxCount': got 3; expected at least minCount \(5\)/);
  });

  test('fails when maxSurge is neither a percentage nor a count', () => {
    expect(() => newCluster({ workloadNodePool: { maxSurge: '150%' } }))
      .toThrow(/invalid 'workloadNodePool.maxSurge': got "150%"; expected a percentage/);
  });

  test('fails when the subnet is too small for the nodes (overlay)', () => {
    // 3+1 system and 10+1 workload nodes, the gateway LB and the vault endpoint: 17 > 11 usable in a /28.
    expect(() => newCluster({ subnet: subnet('10.0.16.0/28') }))
      .toThrow(/invalid 'subnet': got "10.0.16.0\/28"; expected a subnet with at least 17 usable addresses \(3\+1 nodes x 1 \+ 10\+1 nodes x 1, the gateway's load balancer, the Key Vault endpoint\); this one has 11/);
  });

  test('fails when the subnet is too small for the nodes and their pods (flat Azure CNI)', () => {
    // 15 nodes x 111 addresses + 2 = 1667 > 1019 usable in a /22.
    expect(() => newCluster({ subnet: subnet('10.0.16.0/22'), podNetworking: PodNetworking.VNET }))
      .toThrow(/invalid 'subnet': got "10.0.16.0\/22"; expected a subnet with at least 1667 usable addresses .*this one has 1019\. .*fewer max pods or PodNetworking.OVERLAY/);
    expect(newCluster({ subnet: subnet('10.0.16.0/21'), podNetworking: PodNetworking.VNET }).resource).toBeDefined();
  });

  test('fails when the service CIDR overlaps the VNet', () => {
    expect(() => newCluster({ serviceCidr: '10.0.0.0/16', dnsServiceIp: '10.0.0.10' }))
      .toThrow(/invalid 'serviceCidr': got "10.0.0.0\/16"; expected a block that does not overlap the VNet's address space 10.0.0.0\/16/);
  });

  test('fails when the pod CIDR overlaps the VNet', () => {
    expect(() => newCluster({ podCidr: '10.0.128.0/17' }))
      .toThrow(/invalid 'podCidr': got "10.0.128.0\/17"; expected a block that does not overlap the VNet's address space/);
  });

  test('fails when the pod and service CIDRs overlap', () => {
    expect(() => newCluster({ podCidr: '172.16.128.0/17' }))
      .toThrow(/invalid 'podCidr': got "172.16.128.0\/17"; expected a block that does not overlap 'serviceCidr' \(172.16.0.0\/16\)/);
  });

  test('fails when a CIDR overlaps a range AKS reserves', () => {
    expect(() => newCluster({ serviceCidr: '172.31.0.0/16', dnsServiceIp: '172.31.0.10' }))
      .toThrow(/invalid 'serviceCidr': got "172.31.0.0\/16"; expected a block outside 172.31.0.0\/16, which AKS reserves/);
  });

  test('fails when a CIDR is not a CIDR', () => {
    expect(() => newCluster({ serviceCidr: '172.16.0.0' })).toThrow(/invalid 'serviceCidr': got "172.16.0.0"; expected an IPv4 CIDR block/);
    expect(() => newCluster({ subnet: subnet('compute') })).toThrow(/invalid 'subnet.addressPrefix': got "compute"/);
  });

  test('fails when a pod CIDR is given without overlay', () => {
    expect(() => newCluster({ podNetworking: PodNetworking.VNET, podCidr: '192.168.0.0/16' }))
      .toThrow(/invalid 'podCidr': got "192.168.0.0\/16"; only used with PodNetworking.OVERLAY/);
  });

  test('fails when the DNS service IP is outside the service CIDR or its reserved addresses', () => {
    expect(() => newCluster({ dnsServiceIp: '172.17.0.10' }))
      .toThrow(/invalid 'dnsServiceIp': got "172.17.0.10"; expected an address inside 'serviceCidr' \(172.16.0.0\/16\)/);
    expect(() => newCluster({ dnsServiceIp: '172.16.0.1' })).toThrow(/invalid 'dnsServiceIp': got "172.16.0.1"/);
  });

  test('fails when the pinned gateway IP is outside the compute subnet', () => {
    expect(() => newCluster({ istio: { mode: IstioMode.HELM, gatewayPrivateIp: '10.0.1.10' } }))
      .toThrow(/invalid 'istio.gatewayPrivateIp': got "10.0.1.10"; expected an address inside the compute subnet 10.0.16.0\/20/);
    expect(() => newCluster({ istio: { mode: IstioMode.HELM, gatewayPrivateIp: '10.0.16.3' } }))
      .toThrow(/invalid 'istio.gatewayPrivateIp': got "10.0.16.3"; .*other than the five Azure reserves/);
  });

  test('fails when the gateway IP is pinned in add-on mode', () => {
    expect(() => newCluster({ istio: { gatewayPrivateIp: '10.0.16.100' } }))
      .toThrow(/invalid 'istio.gatewayPrivateIp': got "10.0.16.100"; only used with IstioMode.HELM/);
  });

  test('fails when the API server is public without authorized ranges, or open to the Internet', () => {
    expect(() => newCluster({ apiServerAccess: ApiServerAccess.authorizedIpRanges([]) }))
      .toThrow(/invalid 'apiServerAccess': got \[\]; expected at least one authorized IP range/);
    expect(() => newCluster({ apiServerAccess: ApiServerAccess.authorizedIpRanges(['0.0.0.0/0']) }))
      .toThrow(/invalid 'apiServerAccess.authorizedIpRanges\[0\]': got "0.0.0.0\/0"; expected a range narrower than the whole Internet/);
    expect(() => newCluster({ apiServerAccess: ApiServerAccess.authorizedIpRanges(['my-laptop']) }))
      .toThrow(/invalid 'apiServerAccess.authorizedIpRanges\[0\]': got "my-laptop"; expected an IPv4 address or CIDR range/);
    expect(() => newCluster({ apiServerAccess: ApiServerAccess.authorizedIpRanges(['0.0.0.0']) }))
      .toThrow(/invalid 'apiServerAccess.authorizedIpRanges\[0\]': got "0.0.0.0"; expected a public source address or range, or exactly "0.0.0.0\/32"/);
    expect(() => newCluster({ keyVaultAllowedIpRanges: ['0.0.0.0/32'] }))
      .toThrow(/invalid 'keyVaultAllowedIpRanges\[0\]': got "0.0.0.0\/32"; expected a public source address or range; 0.0.0.0\/8 is not one/);
    expect(newCluster({ apiServerAccess: ApiServerAccess.authorizedIpRanges(['0.0.0.0/32']) }).resource).toBeDefined();
    expect(() => newCluster({ apiServerAccess: ApiServerAccess.authorizedIpRanges(['203.0.113.0/24', '203.0.113.0/24']) }))
      .toThrow(/invalid 'apiServerAccess.authorizedIpRanges': got "203.0.113.0\/24"; each value must be unique/);
  });

  test('fails when a zone is not 1, 2 or 3', () => {
    expect(() => newCluster({ zones: ['1', '4'] })).toThrow(/invalid 'zones\[1\]': got "4"; expected one of "1", "2", "3"/);
    const json = synthStack(TerraformStack.of(newCluster({ zones: [] })));
    expect(only(json, 'azurerm_kubernetes_cluster').default_node_pool.zones).toBeUndefined();
  });

  test('fails when the maintenance window is shorter than 4 hours or malformed', () => {
    expect(() => newCluster({ maintenanceWindow: { durationHours: 2 } }))
      .toThrow(/invalid 'maintenanceWindow.durationHours': got 2; expected a whole number from 4 to 24/);
    expect(() => newCluster({ maintenanceWindow: { startTime: '25:00' } })).toThrow(/invalid 'maintenanceWindow.startTime': got "25:00"/);
    expect(() => newCluster({ maintenanceWindow: { dayOfWeek: 'Sun' } })).toThrow(/invalid 'maintenanceWindow.dayOfWeek': got "Sun"; expected one of "Monday"/);
    expect(() => newCluster({ maintenanceWindow: { utcOffset: '1:00' } })).toThrow(/invalid 'maintenanceWindow.utcOffset': got "1:00"/);
  });

  test('fails when names break Azure naming rules', () => {
    expect(() => newCluster({ name: '-aks' })).toThrow(/invalid 'name': got "-aks"; expected 1-63 characters/);
    expect(() => newCluster({ keyVaultName: 'kv--mesh' })).toThrow(/invalid 'keyVaultName': got "kv--mesh"; expected 3-24 characters/);
    expect(() => newCluster({ dnsPrefix: 'aks_prod' })).toThrow(/invalid 'dnsPrefix': got "aks_prod"; expected 1-54 letters, digits and hyphens/);
    expect(() => newCluster({ gatewayCertificateName: 'my_cert' })).toThrow(/invalid 'gatewayCertificateName': got "my_cert"/);
  });

  test('fails when the Key Vault id is malformed, or vault options come with an existing vault', () => {
    expect(() => newCluster({ keyVaultId: 'kv-central' })).toThrow(/invalid 'keyVaultId': got "kv-central"; expected a Key Vault resource id/);
    expect(() => newCluster({ keyVaultId: VAULT, keyVaultAllowedIpRanges: ['203.0.113.10'] }))
      .toThrow(/invalid 'keyVaultAllowedIpRanges': got \["203.0.113.10"\]; only used when MeshCluster creates the Key Vault/);
  });

  test('fails when the host domain is not a DNS domain', () => {
    expect(() => newCluster({ hostDomain: 'Mesh' })).toThrow(/invalid 'hostDomain': got "Mesh"; expected a lower-case DNS domain/);
  });

  test('fails when other formats are wrong', () => {
    expect(() => newCluster({ kubernetesVersion: 'latest' })).toThrow(/invalid 'kubernetesVersion': got "latest"/);
    expect(() => newCluster({ secretRotationInterval: '2 minutes' })).toThrow(/invalid 'secretRotationInterval': got "2 minutes"/);
  });

  test('derives the DNS prefix from any valid cluster name', () => {
    const prefix = (name: string) => only(synthStack(TerraformStack.of(newCluster({ name }))), 'azurerm_kubernetes_cluster').dns_prefix;
    expect(prefix('aks_prod_1')).toBe('aks-prod-1');
    expect(prefix('a')).toBe('a');
    expect(prefix(`${'x'.repeat(53)}_y${'z'.repeat(8)}`)).toBe('x'.repeat(53));
  });

  test('fails when an enum-typed prop gets a value outside its enum', () => {
    expect(() => newCluster({ skuTier: 'standard' as AksSkuTier })).toThrow(/invalid 'skuTier': got "standard"; expected one of "Standard", "Premium", "Free"/);
    expect(() => newCluster({ automaticUpgradeChannel: 'none' as AutomaticUpgradeChannel }))
      .toThrow(/invalid 'automaticUpgradeChannel': got "none"; expected one of "patch", "stable", "rapid", "node-image"/);
    expect(() => newCluster({ nodeOsUpgradeChannel: 'nodeimage' as NodeOsUpgradeChannel }))
      .toThrow(/invalid 'nodeOsUpgradeChannel': got "nodeimage"; expected one of "NodeImage"/);
  });

  test('fails when an admin group is not an object id, or is given twice', () => {
    expect(() => newCluster({ adminGroupObjectIds: ['aks-admins'] }))
      .toThrow(/invalid 'adminGroupObjectIds\[0\]': got "aks-admins"; expected an Entra ID group object id: a GUID/);
    const id = '11111111-1111-1111-1111-111111111111';
    expect(() => newCluster({ adminGroupObjectIds: [id, id.toUpperCase()] }))
      .toThrow(/invalid 'adminGroupObjectIds': got "11111111-1111-1111-1111-111111111111"; each value must be unique/);
  });

  test('fails when a zone is given twice', () => {
    expect(() => newCluster({ zones: ['1', '1'] })).toThrow(/invalid 'zones': got "1"; each value must be unique/);
  });

  test('fails when the secret rotation interval is zero', () => {
    expect(() => newCluster({ secretRotationInterval: '0m' }))
      .toThrow(/invalid 'secretRotationInterval': got "0m"; expected a positive duration in hours, minutes and seconds/);
    expect(only(synthStack(TerraformStack.of(newCluster({ secretRotationInterval: '1h30m' }))), 'azurerm_kubernetes_cluster')
      .key_vault_secrets_provider.secret_rotation_interval).toBe('1h30m');
  });

  test('fails when the workspace id is not a Log Analytics workspace id', () => {
    expect(() => newCluster({ logAnalyticsWorkspaceId: 'law-mesh' }))
      .toThrow(/invalid 'logAnalyticsWorkspaceId': got "law-mesh"; expected a Log Analytics workspace resource id/);
  });

  test('fails when tags break Azure\'s tag rules', () => {
    expect(() => newCluster({ tags: { 'cost center': 'x' } }))
      .toThrow(/invalid 'tags': got "cost center"; expected tag names of 1-512 characters without < > % & \\ \? \/, starting with a letter or underscore and without spaces/);
    expect(() => newCluster({ tags: { '': 'x' } })).toThrow(/invalid 'tags': got ""; expected tag names/);
    expect(() => newCluster({ tags: { env: 'v'.repeat(257) } })).toThrow(/invalid 'tags.env': got "v+"; expected a tag value of at most 256 characters/);
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`t${i}`, 'x']));
    expect(() => newCluster({ tags: many })).toThrow(/invalid 'tags': got "51 tags"; expected at most 50 tags/);
  });

  test('fails when the host domain is an Azure Private Link zone', () => {
    expect(() => newCluster({ hostDomain: 'privatelink.vaultcore.azure.net' }))
      .toThrow(/invalid 'hostDomain': got "privatelink.vaultcore.azure.net"; expected a domain of your own: privatelink.\* zones belong to Azure Private Link/);
  });

  test('fails when Cilium is chosen with flat Azure CNI, which defaults to Calico', () => {
    expect(() => newCluster({ subnet: subnet('10.0.16.0/20'), podNetworking: PodNetworking.VNET, networkPolicy: NetworkPolicyEngine.CILIUM }))
      .toThrow(/invalid 'networkPolicy': got "cilium"; expected NetworkPolicyEngine.CALICO or NetworkPolicyEngine.AZURE with PodNetworking.VNET/);
    const json = synthStack(TerraformStack.of(newCluster({ subnet: subnet('10.0.16.0/20'), podNetworking: PodNetworking.VNET })));
    expect(only(json, 'azurerm_kubernetes_cluster').network_profile).toMatchObject({ network_policy: 'calico', network_data_plane: 'azure' });
  });

  test('fails when the pod CIDR has fewer /24 blocks than nodes', () => {
    // 3+1 system and 10+1 workload nodes need 15 /24 blocks; a /21 has 8.
    expect(() => newCluster({ podCidr: '192.168.0.0/21' }))
      .toThrow(/invalid 'podCidr': got "192.168.0.0\/21"; expected a block holding a \/24 for each of the 15 nodes at full scale and surge; this one holds 8/);
    expect(newCluster({ podCidr: '192.168.0.0/20' }).resource).toBeDefined();
  });

  test('fails when a CIDR has host bits set', () => {
    expect(() => newCluster({ serviceCidr: '172.16.5.0/16' }))
      .toThrow(/invalid 'serviceCidr': got "172.16.5.0\/16"; expected a block written with its network address, "172.16.0.0\/16"/);
    expect(() => newCluster({ subnet: subnet('10.0.16.5/20') })).toThrow(/invalid 'subnet.addressPrefix': got "10.0.16.5\/20"; expected a block written with its network address, "10.0.16.0\/20"/);
  });

  test('fails when the subnet lies outside the VNet', () => {
    expect(() => newCluster({ subnet: subnet('10.1.16.0/20') }))
      .toThrow(/invalid 'subnet.addressPrefix': got "10.1.16.0\/20"; expected a block inside the VNet's address space \(10.0.0.0\/16\)/);
  });

  test('fails when the service CIDR is larger than /12 or smaller than /30, and derives the DNS service IP from it', () => {
    expect(() => newCluster({ serviceCidr: '172.0.0.0/8' })).toThrow(/invalid 'serviceCidr': got "172.0.0.0\/8"; expected a block from \/12 \(the largest service range Kubernetes accepts\) to \/30/);
    expect(() => newCluster({ serviceCidr: '172.16.0.0/31' })).toThrow(/invalid 'serviceCidr': got "172.16.0.0\/31"; expected a block from \/12/);
    const profile = (serviceCidr: string) => only(synthStack(TerraformStack.of(newCluster({ serviceCidr }))), 'azurerm_kubernetes_cluster').network_profile;
    expect(profile('100.64.0.0/16')).toMatchObject({ service_cidr: '100.64.0.0/16', dns_service_ip: '100.64.0.10' });
    expect(profile('100.64.0.0/30').dns_service_ip).toBe('100.64.0.2');
  });

  test('fails when a Key Vault firewall range is private or given twice', () => {
    expect(() => newCluster({ keyVaultAllowedIpRanges: ['192.168.1.10'] }))
      .toThrow(/invalid 'keyVaultAllowedIpRanges\[0\]': got "192.168.1.10"; expected a public address or range: Key Vault refuses private ranges \(192.168.0.0\/16\)/);
    expect(() => newCluster({ keyVaultAllowedIpRanges: ['203.0.113.10', '203.0.113.10'] }))
      .toThrow(/invalid 'keyVaultAllowedIpRanges': got "203.0.113.10"; each value must be unique/);
  });

  test('fails when the vault\'s private DNS zone id is not a privatelink.vaultcore zone', () => {
    expect(() => newCluster({ keyVaultPrivateDnsZoneId: VAULT_ZONE.replace('privatelink.vaultcore.azure.net', 'mesh.internal') }))
      .toThrow(/invalid 'keyVaultPrivateDnsZoneId': got ".*\/privateDnsZones\/mesh.internal"; expected the resource id of a "privatelink.vaultcore.azure.net" private DNS zone/);
  });

  test('lets unresolved tokens through', () => {
    const app = new App();
    const platform = new TerraformStack(app, 'platform');
    const network = new TieredNetwork(platform, 'Network', placement);
    const cluster = new MeshCluster(platform, 'Mesh', {
      ...placement,
      subnet: { ...network.computeSubnet, addressPrefix: Fn.element(network.computeSubnetResource.addressPrefixes, 0) },
      keyVaultId: network.resource.id,
      systemNodePool: { vmSize: network.resource.name },
      serviceCidr: Fn.element(network.resource.addressSpace, 0),
    });
    expect(() => synthStack(platform)).not.toThrow();
    expect(only(synthStack(platform), 'azurerm_kubernetes_cluster').network_profile.dns_service_ip).toMatch(/^\$\{cidrhost\(element\(/);
    expect(cluster.keyVaultName).toMatch(/\$\{TfToken/);
  });
});
