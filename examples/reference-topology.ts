// The reference topology: the Internet-to-mesh path of ../README.md, composed from the library's
// four constructs, in stacks that deploy in order (`cdktf deploy platform workloads`).
//
//   client ─HTTPS─▶ SecureEdge (WAF + App Gateway) ─HTTPS─▶ ApiGovernance (APIM, internal)
//          ─HTTPS─▶ MeshCluster's internal Istio ingress gateway ─mTLS─▶ orders ─mTLS─▶ inventory, payments
import { ApplicationInsights } from '@cdktf/provider-azurerm/lib/application-insights';
import { LogAnalyticsWorkspace } from '@cdktf/provider-azurerm/lib/log-analytics-workspace';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ApiGovernance, ApiPolicy, GatewayMeshChecks, HttpMethod, IstioMode, ManagedApi, MeshCluster, MeshConnection, MeshNamespace, MeshPort,
  MeshProbe, MeshService, RateLimitKey, SecureEdge, TieredNetwork, VersioningScheme,
} from '../lib';
import { configureBackend, StateBackendOptions } from './backend';
import { buildTeamStack } from './team-stack';

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
  /** Where each stack keeps its state. @default - local files */
  readonly backend?: StateBackendOptions;
}

/** The stacks and constructs of the topology, for tests and for users extending it. */
export interface ReferenceTopology {
  readonly platform: TerraformStack;
  /** Helm mode only: the stack installing Istio's charts (its CRDs must exist before `workloads` plans). */
  readonly meshInstall?: TerraformStack;
  readonly workloads: TerraformStack;
  readonly network: TieredNetwork;
  readonly edge: SecureEdge;
  readonly api: ApiGovernance;
  readonly cluster: MeshCluster;
  readonly mesh: MeshConnection;
  readonly services: { readonly orders: MeshService; readonly inventory: MeshService; readonly payments: MeshService };
  readonly apis: ManagedApi[];
  /** The policy pack, applied to every stack: its errors fail synth. */
  readonly checks: GatewayMeshChecks;
}

/** Reads options from cdktf context (`cdktf.json` "context", or `-c key=value`) and TOPOLOGY_* environment variables. */
export function optionsFromContext(scope: Construct, env: NodeJS.ProcessEnv = process.env): ReferenceTopologyOptions {
  const get = (key: string, envName: string): string | undefined => scope.node.tryGetContext(key) ?? env[envName];
  const mode = get('istioMode', 'TOPOLOGY_ISTIO_MODE');
  if (mode !== undefined && !Object.values(IstioMode).includes(mode as IstioMode)) {
    throw new Error(`istioMode=${JSON.stringify(mode)}: expected one of ${Object.values(IstioMode).join(', ')}`);
  }
  return {
    prefix: get('prefix', 'TOPOLOGY_PREFIX'),
    location: get('location', 'TOPOLOGY_LOCATION'),
    addressSpace: get('addressSpace', 'TOPOLOGY_ADDRESS_SPACE'),
    istioMode: mode as IstioMode | undefined,
    publicHostName: get('publicHostName', 'TOPOLOGY_PUBLIC_HOST_NAME'),
    jwtTenantId: get('jwtTenantId', 'TOPOLOGY_JWT_TENANT_ID'),
  };
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

  // ---------------------------------------------------------------- platform: network, edge, API, cluster
  const platform = new TerraformStack(scope, 'platform');
  configureBackend(platform, options.backend);
  new AzurermProvider(platform, 'azurerm', { features: [{}] });
  const group = new ResourceGroup(platform, 'ResourceGroup', { name: `rg-${prefix}`, location });
  const placement = { resourceGroupName: group.name, location: group.location };

  const logs = new LogAnalyticsWorkspace(platform, 'Logs', {
    ...placement,
    name: `log-${prefix}`,
    sku: 'PerGB2018',
    retentionInDays: 30,
    localAuthenticationEnabled: false,
  });
  const insights = new ApplicationInsights(platform, 'Insights', {
    ...placement,
    name: `appi-${prefix}`,
    applicationType: 'web',
    workspaceId: logs.id,
    localAuthenticationDisabled: false, // APIM's logger authenticates with the connection string
  });

  const network = new TieredNetwork(platform, 'Network', {
    ...placement,
    name: `vnet-${prefix}`,
    addressSpace: space,
    edgeSubnetPrefix: `${net}.0.0/24`,
    apiSubnetPrefix: `${net}.1.0/24`,
    computeSubnetPrefix: `${net}.16.0/20`,
  });

  const cluster = new MeshCluster(platform, 'Cluster', {
    ...placement,
    name: `aks-${prefix}`,
    subnet: network.computeSubnet,
    istio: { mode: options.istioMode ?? IstioMode.AKS_ADDON },
    keyVaultName: `kv-${prefix}-${location.slice(0, 6)}`,
    logAnalyticsWorkspaceId: logs.id,
  });

  const api = new ApiGovernance(platform, 'Api', {
    ...placement,
    name: `apim-${prefix}`,
    subnet: network.apiSubnet,
    publisherName: 'Contoso Platform Team',
    publisherEmail: 'platform-team@contoso.com',
    keyVaultId: cluster.keyVaultId,
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
    keyVaultId: cluster.keyVaultId,
    logAnalyticsWorkspaceId: logs.id,
    listeners: [{
      id: 'public-api',
      hostNames: [publicHostName],
      certificateSecretId: `https://${cluster.keyVaultName}.vault.azure.net/secrets/edge-tls`,
    }],
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

  // A product team's stack on the shared platform, from importers and the names below alone.
  buildTeamStack(scope, {
    resourceGroupName: `rg-${prefix}`,
    clusterName: `aks-${prefix}`,
    apiManagementName: `apim-${prefix}`,
    istioMode: cluster.istioMode,
    revision: cluster.revision,
    hostDomain: cluster.hostDomain,
    jwtTenantId: tenant,
    backend: options.backend,
  });

  // Checkov / Trivy / kube-score checks and Istio's security guidance, at synth time.
  const checks = GatewayMeshChecks.applyTo(scope);

  return {
    platform,
    meshInstall,
    workloads,
    network,
    edge,
    api,
    cluster,
    mesh,
    services: { orders, inventory, payments },
    apis: [ordersV1, ordersV2],
    checks,
  };
}
