// The reference topology: the Internet-to-mesh path of ../README.md, composed from the library's
// four constructs, in stacks that deploy in the order Azure needs:
//   foundation (network, Key Vault, logs) -> the certificates are put in the vault -> platform (edge,
//   API Management, AKS) -> [mesh-install, Helm mode] -> workloads (in-cluster resources).
//
//   client ─HTTPS─▶ SecureEdge (WAF + App Gateway) ─HTTPS─▶ ApiGovernance (APIM, internal)
//          ─HTTPS─▶ MeshCluster's internal Istio ingress gateway ─mTLS─▶ orders ─mTLS─▶ inventory, payments
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { DataAzurermKeyVaultSecret } from '@cdktf/provider-azurerm/lib/data-azurerm-key-vault-secret';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { UserAssignedIdentity } from '@cdktf/provider-azurerm/lib/user-assigned-identity';
import { dependable, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApiGovernance, ApiPolicy, CertificateVault, GatewayMeshChecks, HttpMethod, IstioMode, ManagedApi, MeshCluster, MeshConnection,
  MeshNamespace, MeshPort, MeshProbe, MeshService, RateLimitKey, RequiredCertificates, SecureEdge, TieredNetwork, UniqueName,
  VersioningScheme,
} from '../lib';
import { configureBackend, StateBackendOptions } from './backend';
import { addObservability } from './observability';
import { buildTeamStack, TeamStack } from './team-stack';
import { GatewayMeshMonitoring } from '../lib/monitoring';

/** Where the TLS certificates of the topology come from. */
export enum CertificateSource {
  /**
   * You import them into the vault between `cdktf deploy foundation` and `cdktf deploy platform`
   * (certificates from your CAs); the platform stack's plan fails, naming the command, until they are there.
   */
  IMPORT = 'import',
  /**
   * Key Vault issues self-signed certificates in the foundation stack: no manual step, for development
   * and test only (clients do not trust the edge certificate; API Management trusts the mesh certificate
   * because the topology gives it the certificate itself).
   */
  SELF_SIGNED = 'self-signed',
}

/** The certificates and secret the vault must hold before the platform stack. */
export const CERTIFICATE_NAMES = { edge: 'edge-tls', mesh: 'mesh-gateway', meshCa: 'mesh-gateway-ca' } as const;

/** What a user changes in the reference topology; every field has a working default. */
export interface ReferenceTopologyOptions {
  /** Prefix of Azure resource names (letters and digits, 3-12). @default "gwmesh" */
  readonly prefix?: string;
  /** Azure region. @default "westeurope" */
  readonly location?: string;
  /** The VNet's address space; the three layers' subnets are carved from its first /16. @default "10.0.0.0/16" */
  readonly addressSpace?: string;
  /** How Istio is installed. @default IstioMode.AKS_ADDON */
  readonly istioMode?: IstioMode;
  /** Public host name clients call. @default "api.contoso.com" */
  readonly publicHostName?: string;
  /** Issuer of the JWTs that callers present (Entra ID tenant). @default the `common` v2.0 issuer placeholder tenant */
  readonly jwtTenantId?: string;
  /** Where the TLS certificates come from. @default CertificateSource.IMPORT */
  readonly certificates?: CertificateSource;
  /**
   * Public addresses allowed through the vault's firewall: where you import certificates from, or where
   * Terraform runs (it lists the vault's certificates at plan, and creates them with SELF_SIGNED).
   * @default - none: run from inside the VNet
   */
  readonly vaultAllowedIpRanges?: string[];
  /** Where each stack keeps its state. @default - local files */
  readonly backend?: StateBackendOptions;
}

/** The stacks and constructs of the topology, for tests and for users extending it. */
export interface ReferenceTopology {
  /** Network, Key Vault (and, with SELF_SIGNED, the certificates), logs: what the platform needs to exist first. */
  readonly foundation: TerraformStack;
  /** Edge, API Management, AKS: created once the vault holds the certificates. */
  readonly platform: TerraformStack;
  /** Helm mode only: the stack installing Istio's charts (its CRDs must exist before `workloads` plans). */
  readonly meshInstall?: TerraformStack;
  readonly workloads: TerraformStack;
  /** Another team's stack on the shared platform, built from importers and names alone. */
  readonly team: TeamStack;
  readonly network: TieredNetwork;
  readonly vault: CertificateVault;
  readonly requiredCertificates: RequiredCertificates;
  readonly edge: SecureEdge;
  readonly api: ApiGovernance;
  readonly cluster: MeshCluster;
  readonly mesh: MeshConnection;
  readonly services: { readonly orders: MeshService; readonly inventory: MeshService; readonly payments: MeshService };
  readonly apis: ManagedApi[];
  /** The policy pack, applied to every stack: its errors fail synth. */
  readonly checks: GatewayMeshChecks;
  /** Alerts, managed Prometheus, tracing and Grafana (examples/observability.ts). */
  readonly monitoring: GatewayMeshMonitoring;
}

/**
 * Reads options from cdktf context (`cdktf.json` "context"; the cdktf 0.21 CLI has no `-c` flag) and
 * TOPOLOGY_* environment variables, which win over the context.
 */
export function optionsFromContext(scope: Construct, env: NodeJS.ProcessEnv = process.env): ReferenceTopologyOptions {
  const get = (key: string, envName: string): string | undefined => env[envName] ?? scope.node.tryGetContext(key);
  const mode = get('istioMode', 'TOPOLOGY_ISTIO_MODE');
  if (mode !== undefined && !Object.values(IstioMode).includes(mode as IstioMode)) {
    throw new Error(`istioMode=${JSON.stringify(mode)}: expected one of ${Object.values(IstioMode).join(', ')}`);
  }
  const certificates = get('certificates', 'TOPOLOGY_CERTIFICATES');
  if (certificates !== undefined && !Object.values(CertificateSource).includes(certificates as CertificateSource)) {
    throw new Error(`certificates=${JSON.stringify(certificates)}: expected one of ${Object.values(CertificateSource).join(', ')}`);
  }
  const ranges = get('vaultAllowedIpRanges', 'TOPOLOGY_VAULT_ALLOWED_IP_RANGES');
  return {
    prefix: get('prefix', 'TOPOLOGY_PREFIX'),
    location: get('location', 'TOPOLOGY_LOCATION'),
    addressSpace: get('addressSpace', 'TOPOLOGY_ADDRESS_SPACE'),
    istioMode: mode as IstioMode | undefined,
    publicHostName: get('publicHostName', 'TOPOLOGY_PUBLIC_HOST_NAME'),
    jwtTenantId: get('jwtTenantId', 'TOPOLOGY_JWT_TENANT_ID'),
    certificates: certificates as CertificateSource | undefined,
    vaultAllowedIpRanges: ranges === undefined ? undefined : String(ranges).split(',').map((r) => r.trim()).filter((r) => r !== ''),
  };
}

/** API Management's globally unique name, the same in whichever stack of the subscription computes it. */
function apimNameIn(stack: TerraformStack, prefix: string): string {
  return `apim-${prefix}-${UniqueName.suffix(stack, `rg-${prefix}`, 'platform')}`;
}

/** The commands of the certificate step (IMPORT), for the foundation stack's `next_step` output. */
function importCommands(vaultName: string): string {
  return [
    `az keyvault certificate import --vault-name ${vaultName} --name ${CERTIFICATE_NAMES.edge} --file ${CERTIFICATE_NAMES.edge}.pfx`,
    `az keyvault certificate import --vault-name ${vaultName} --name ${CERTIFICATE_NAMES.mesh} --file ${CERTIFICATE_NAMES.mesh}.pfx`,
    `az keyvault secret set --vault-name ${vaultName} --name ${CERTIFICATE_NAMES.meshCa} --value "$(base64 -w0 mesh-ca.cer)"`,
  ].join(' && ');
}

/** Builds the reference topology's stacks in `scope` (an App). */
export function buildReferenceTopology(scope: Construct, options: ReferenceTopologyOptions = {}): ReferenceTopology {
  const prefix = options.prefix ?? 'gwmesh';
  if (!/^[a-z][a-z0-9]{2,11}$/.test(prefix)) throw new Error(`prefix=${JSON.stringify(prefix)}: expected 3-12 lower-case letters and digits, starting with a letter`);
  const location = options.location ?? 'westeurope';
  const space = options.addressSpace ?? '10.0.0.0/16';
  const octets = /^(\d+)\.(\d+)\.0\.0\/16$/.exec(space);
  if (!octets) throw new Error(`addressSpace=${JSON.stringify(space)}: expected a /16 block such as "10.0.0.0/16"`);
  const net = `${octets[1]}.${octets[2]}`;
  const publicHostName = options.publicHostName ?? 'api.contoso.com';
  const tenant = options.jwtTenantId ?? '00000000-0000-0000-0000-000000000000';
  const certificates = options.certificates ?? CertificateSource.IMPORT;
  const hostDomain = 'mesh.internal';

  // ---------------------------------------------------------------- 1. foundation: what must exist first
  // The vault must exist (with its private endpoint and DNS) and hold the certificates before anything
  // reads them: Azure fails an Application Gateway whose certificate is missing only after 25-30 minutes.
  const foundation = new TerraformStack(scope, 'foundation');
  configureBackend(foundation, options.backend);
  new AzurermProvider(foundation, 'azurerm', { features: [{}] });
  const group = new ResourceGroup(foundation, 'ResourceGroup', { name: `rg-${prefix}`, location });
  const placement = { resourceGroupName: group.name, location: group.location };

  const logs = new LogAnalyticsWorkspace(foundation, 'Logs', {
    ...placement,
    name: `log-${prefix}`,
    sku: 'PerGB2018',
    retentionInDays: 30,
    localAuthenticationEnabled: false,
  });
  const insights = new ApplicationInsights(foundation, 'Insights', {
    ...placement,
    name: `appi-${prefix}`,
    applicationType: 'web',
    workspaceId: logs.id,
    localAuthenticationDisabled: false, // APIM's logger authenticates with the connection string
  });

  const network = new TieredNetwork(foundation, 'Network', {
    ...placement,
    name: `vnet-${prefix}`,
    addressSpace: space,
    edgeSubnetPrefix: `${net}.0.0/24`,
    apiSubnetPrefix: `${net}.1.0/24`,
    computeSubnetPrefix: `${net}.16.0/20`,
  });

  // Globally unique: "kv-<prefix>-" and a suffix derived from the subscription and the resource group.
  const vault = new CertificateVault(foundation, 'Vault', {
    ...placement,
    name: `kv-${prefix}-${UniqueName.suffix(foundation, group.name)}`,
    subnet: network.computeSubnet,
    allowedIpRanges: options.vaultAllowedIpRanges,
    logAnalyticsWorkspaceId: logs.id,
  });
  // The cluster's control-plane identity exists before the cluster, so that its "Network Contributor" role on
  // the subnet is granted (and propagated) before AKS creates the add-on's internal load balancer there.
  const clusterIdentity = new UserAssignedIdentity(foundation, 'ClusterIdentity', { ...placement, name: `id-aks-${prefix}` });

  // Terraform lists the vault's certificates at plan (RequiredCertificates) and, with SELF_SIGNED, creates them.
  vault.grantDeployerAccess();
  let meshCaCertificate: string | undefined;
  if (certificates === CertificateSource.SELF_SIGNED) {
    vault.addSelfSignedCertificate('EdgeCertificate', { name: CERTIFICATE_NAMES.edge, dnsNames: [publicHostName] });
    const mesh = vault.addSelfSignedCertificate('MeshCertificate', { name: CERTIFICATE_NAMES.mesh, dnsNames: [`*.${hostDomain}`] });
    // A self-signed certificate is its own root: API Management trusts the certificate itself.
    meshCaCertificate = mesh.certificateDataBase64;
  }
  new TerraformOutput(foundation, 'vault_name', { value: vault.keyVaultName, description: 'The Key Vault that holds the TLS certificates' });
  new TerraformOutput(foundation, 'next_step', {
    description: 'What to do before `cdktf deploy platform`',
    value: certificates === CertificateSource.SELF_SIGNED
      ? 'Self-signed certificates were issued: cdktf deploy platform'
      : `Import the certificates, then cdktf deploy platform: ${importCommands(vault.keyVaultName)}`,
  });

  // ---------------------------------------------------------------- 2. platform: edge, API Management, AKS
  const platform = new TerraformStack(scope, 'platform');
  configureBackend(platform, options.backend);
  new AzurermProvider(platform, 'azurerm', { features: [{}] });
  // Fails the plan in seconds, naming the command, while a certificate is missing.
  const requiredCertificates = new RequiredCertificates(platform, 'RequiredCertificates', {
    keyVaultId: vault.keyVaultId,
    certificateNames: [CERTIFICATE_NAMES.edge, CERTIFICATE_NAMES.mesh],
    secretNames: certificates === CertificateSource.IMPORT ? [CERTIFICATE_NAMES.meshCa] : undefined,
    howToAdd: 'import it (README, "Deploying to Azure", step 2): az keyvault certificate import --vault-name {vault} --name {name} --file {name}.pfx',
    howToAddSecret: 'store the root CA of the mesh-gateway certificate (README, step 2): az keyvault secret set --vault-name {vault} --name {name} --value "$(base64 -w0 mesh-ca.cer)"',
  });
  if (certificates === CertificateSource.IMPORT) {
    // The private CA of `*.mesh.internal`, which API Management must trust to call the mesh gateway.
    meshCaCertificate = new DataAzurermKeyVaultSecret(platform, 'MeshCaCertificate', {
      name: CERTIFICATE_NAMES.meshCa,
      keyVaultId: vault.keyVaultId,
      dependsOn: [requiredCertificates.secrets!],
    }).value;
  }

  const cluster = new MeshCluster(platform, 'Cluster', {
    ...placement,
    name: `aks-${prefix}`,
    subnet: network.computeSubnet,
    istio: { mode: options.istioMode ?? IstioMode.AKS_ADDON },
    hostDomain,
    controlPlaneIdentity: { resourceId: clusterIdentity.id, principalId: clusterIdentity.principalId },
    keyVaultId: vault.keyVaultId,
    gatewayCertificateName: CERTIFICATE_NAMES.mesh,
    logAnalyticsWorkspaceId: logs.id,
  });

  const api = new ApiGovernance(platform, 'Api', {
    ...placement,
    name: apimNameIn(platform, prefix),
    subnet: network.apiSubnet,
    publisherName: 'Contoso Platform Team',
    publisherEmail: 'platform-team@contoso.com',
    keyVaultId: vault.keyVaultId,
    trustedRootCertificates: [meshCaCertificate!],
    logAnalyticsWorkspaceId: logs.id,
    applicationInsights: { connectionString: insights.connectionString, applicationInsightsId: insights.id, samplingPercentage: 25 },
    // Throttling is on by default; the reference topology sets it per subscription explicitly.
    throttle: { calls: 600, renewalPeriod: 60, key: RateLimitKey.subscriptionOrClientIp() },
  });

  const edge = new SecureEdge(platform, 'Edge', {
    ...placement,
    name: `agw-${prefix}`,
    subnet: network.edgeSubnet,
    backend: api,
    keyVaultId: vault.keyVaultId,
    logAnalyticsWorkspaceId: logs.id,
    listeners: [{
      id: 'public-api',
      hostNames: [publicHostName],
      certificateSecretId: vault.secretId(CERTIFICATE_NAMES.edge),
    }],
  });
  // The gateway waits for the plan-time check of its certificate.
  edge.resource.dependsOn = [...(edge.resource.dependsOn ?? []), dependable(requiredCertificates.resource)];

  new TerraformOutput(platform, 'public_ip_address', { value: edge.publicIp.ipAddress, description: `Point ${publicHostName}'s DNS A record here` });
  new TerraformOutput(platform, 'public_host_name', { value: publicHostName, description: 'The host name clients call' });
  new TerraformOutput(platform, 'apim_gateway_url', { value: `https://${api.gatewayHostName}`, description: 'API Management gateway (internal: resolvable inside the VNet)' });
  new TerraformOutput(platform, 'cluster_name', { value: cluster.resource.name });
  new TerraformOutput(platform, 'cluster_resource_group', { value: cluster.resourceGroupName });
  new TerraformOutput(platform, 'next_step', {
    description: 'What to do next',
    value: `${options.istioMode === IstioMode.HELM ? 'cdktf deploy mesh-install workloads' : 'cdktf deploy workloads'} (from where the private API server is reachable; az aks get-credentials --resource-group ${cluster.resourceGroupName} --name ${cluster.resource.name} for kubectl)`,
  });

  // ---------------------------------------------------------------- in-cluster stacks
  // kubernetes_manifest reads the cluster's API at plan time: in-cluster resources cannot be planned
  // in the run that creates the cluster (MeshCluster refuses it), hence the separate stacks.
  let meshInstall: TerraformStack | undefined;
  if ((options.istioMode ?? IstioMode.AKS_ADDON) === IstioMode.HELM) {
    meshInstall = new TerraformStack(scope, 'mesh-install');
    configureBackend(meshInstall, options.backend);
  }
  const workloads = new TerraformStack(scope, 'workloads');
  configureBackend(workloads, options.backend);
  // The wildcard DNS record of the gateway is an Azure resource of the workloads stack.
  new AzurermProvider(workloads, 'azurerm', { features: [{}] });
  const mesh = cluster.connect(workloads, 'Mesh', { istioInstallScope: meshInstall });

  const service = (id: string, name: string, version: string) => new MeshService(workloads, id, {
    mesh,
    name,
    namespace: new MeshNamespace(workloads, `${id}Namespace`, { mesh, name }),
    image: `${prefix}acr.azurecr.io/${name}:${version}`,
    ports: [MeshPort.http(8080)],
    livenessProbe: MeshProbe.httpGet('/healthz', { port: 8080 }),
    readinessProbe: MeshProbe.httpGet('/ready', { port: 8080 }),
  });
  const orders = service('Orders', 'orders', '1.4.2');
  const inventory = service('Inventory', 'inventory', '2.0.1');
  const payments = service('Payments', 'payments', '3.2.0');
  // Zero trust: the gateway may call orders; orders may call inventory and payments; nothing else.
  orders.exposeViaGateway();
  inventory.allowFrom(orders);
  payments.allowFrom(orders, { methods: ['POST'], paths: ['/payments', '/payments/*'] });

  // ---------------------------------------------------------------- API governance
  const versions = api.addVersionSet('OrdersVersions', { displayName: 'Orders', scheme: VersioningScheme.SEGMENT });
  const jwt = ApiPolicy.validateJwt({
    issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
    audiences: [`api://${prefix}-orders`],
    openIdConfigUrl: `https://login.microsoftonline.com/${tenant}/v2.0/.well-known/openid-configuration`,
  });
  const ordersV1 = api.addApi('OrdersV1', {
    path: 'orders',
    displayName: 'Orders',
    version: 'v1',
    versionSet: versions,
    backend: orders,
    policies: [jwt],
    operations: [
      { operationId: 'list-orders', method: HttpMethod.GET, urlTemplate: '/orders' },
      { operationId: 'get-order', method: HttpMethod.GET, urlTemplate: '/orders/{id}' },
      { operationId: 'create-order', method: HttpMethod.POST, urlTemplate: '/orders' },
    ],
  });
  const ordersV2 = api.addApi('OrdersV2', {
    path: 'orders',
    displayName: 'Orders',
    version: 'v2',
    versionSet: versions,
    backend: orders,
    policies: [jwt],
    operations: [
      { operationId: 'list-orders', method: HttpMethod.GET, urlTemplate: '/orders' },
      { operationId: 'get-order', method: HttpMethod.GET, urlTemplate: '/orders/{id}' },
      { operationId: 'create-order', method: HttpMethod.POST, urlTemplate: '/orders', policies: [ApiPolicy.rateLimitByKey({ calls: 60, renewalPeriod: 60, key: RateLimitKey.subscriptionOrClientIp() })] },
      { operationId: 'cancel-order', method: HttpMethod.DELETE, urlTemplate: '/orders/{id}' },
    ],
  });
  api.addProduct('Standard', {
    displayName: 'Standard',
    apis: [ordersV1, ordersV2],
    policies: [ApiPolicy.quotaByKey({ calls: 100_000, renewalPeriod: 2_592_000, key: RateLimitKey.subscriptionOrClientIp() })],
  });

  // Observability: alerts on every hop, the mesh's golden signals, one trace, Grafana.
  const monitoring = addObservability({ edge, vault, api, cluster, mesh, services: { orders, inventory, payments }, logs, insights }, { prefix });

  // A product team's stack on the shared platform, from importers and the names below alone.
  const team = buildTeamStack(scope, {
    resourceGroupName: `rg-${prefix}`,
    clusterName: `aks-${prefix}`,
    // The platform team gives the team API Management's name; it is computed the same way on both sides.
    apiManagementName: (stack) => apimNameIn(stack, prefix),
    istioMode: cluster.istioMode,
    revision: cluster.revision,
    hostDomain: cluster.hostDomain,
    jwtTenantId: tenant,
    backend: options.backend,
  });

  // Checkov / Trivy / kube-score checks and Istio's security guidance, at synth time.
  const checks = GatewayMeshChecks.applyTo(scope);

  return {
    foundation,
    platform,
    meshInstall,
    workloads,
    team,
    network,
    vault,
    requiredCertificates,
    edge,
    api,
    cluster,
    mesh,
    services: { orders, inventory, payments },
    apis: [ordersV1, ordersV2],
    checks,
    monitoring,
  };
}
