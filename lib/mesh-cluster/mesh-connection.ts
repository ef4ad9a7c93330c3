import { PrivateDnsARecord } from '@cdktf/provider-azurerm/lib/private-dns-a-record';
import { HelmProvider, HelmProviderKubernetes } from '@cdktf/provider-helm/lib/provider';
import { Release } from '@cdktf/provider-helm/lib/release';
import { DataKubernetesServiceV1 } from '@cdktf/provider-kubernetes/lib/data-kubernetes-service-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { ImportedMesh, MeshClusterAttributes } from './imported-mesh';
import type { MeshCluster } from './mesh-cluster';
import { ClusterStackGuard } from './stack-guard';
import { Fn, Lazy, Op, TerraformStack } from '../core/cdktf';
import { IBackendNetwork, IMesh, IMeshPeer, IstioMode } from '../core/contracts';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { checkImage, checkOneOf, checkPattern } from '../core/validate';
import { PolicySuppressions } from '../policy/suppressions';

/** How kubelogin (the exec credential plugin) gets the Entra ID token for the cluster. */
export enum KubeloginMode {
  /** The Azure CLI's login (`az login`): a developer's machine, or CI after `azure/login`. */
  AZURE_CLI = 'azurecli',
  /** Workload identity federation (AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE). */
  WORKLOAD_IDENTITY = 'workloadidentity',
  /** The managed identity of the machine running Terraform. */
  MANAGED_IDENTITY = 'msi',
  /** A service principal (AAD_SERVICE_PRINCIPAL_CLIENT_ID / AAD_SERVICE_PRINCIPAL_CLIENT_SECRET, AZURE_TENANT_ID). */
  SERVICE_PRINCIPAL = 'spn',
  /** The Azure Developer CLI's login. */
  AZURE_DEVELOPER_CLI = 'azd',
  /** An Azure Pipelines service connection. */
  AZURE_PIPELINES = 'azurepipelines',
}

/** Options of `MeshCluster.connect`. */
export interface MeshConnectionOptions {
  /**
   * How kubelogin authenticates. Local accounts are disabled, so there is no admin kubeconfig:
   * the identity needs an Azure RBAC role on the cluster ("Azure Kubernetes Service RBAC Cluster Admin").
   * @default KubeloginMode.AZURE_CLI
   */
  readonly kubeloginMode?: KubeloginMode;
  /**
   * Environment variables for kubelogin (client id, tenant id, ... of the chosen mode); names of letters,
   * digits and underscores, not starting with a digit.
   * @default - kubelogin reads the environment Terraform runs in
   */
  readonly kubeloginEnv?: { [key: string]: string };
  /**
   * Alias of the providers created, for a stack that talks to more than one cluster: connections (and
   * chart installs) sharing a stack need distinct aliases. Every resource the connection creates uses them.
   * @default - default (unaliased) providers
   */
  readonly providerAlias?: string;
  /**
   * Keeps egress to what is declared in the mesh (`outboundTrafficPolicy: REGISTRY_ONLY`): mesh-wide
   * through istiod's meshConfig in Helm mode, through a root-namespace default `Sidecar` with the add-on
   * (whose meshConfig AKS owns). Off, sidecars pass traffic to any host.
   * @default true
   */
  readonly restrictEgress?: boolean;
  /**
   * Helm mode only, and required there: where the `base`, `istiod` and `gateway` charts go. Its stack
   * must differ from the cluster's and from this connection's: the `base` chart installs the Istio CRDs
   * that the connection's `kubernetes_manifest` resources need at plan time.
   * @default - none (the add-on brings the CRDs with the cluster)
   */
  readonly istioInstallScope?: Construct;
  /**
   * Image of the pods that mount the gateway certificate from Key Vault, so that the secrets provider
   * keeps it synced into the gateway's TLS secret. Any image that idles as a non-root user; pinned.
   * @default "mcr.microsoft.com/oss/kubernetes/pause:3.6"
   */
  readonly certificateSyncImage?: string;
}

/** Props of `MeshConnection`. */
export interface MeshConnectionProps extends MeshConnectionOptions {
  /** The cluster to connect to. */
  readonly cluster: MeshCluster;
}

/** `kubelogin --server-id`: the AKS AAD server application, the same in every tenant. */
const AKS_SERVER_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
/** Name of the Istio `Gateway` a connection creates in the ingress gateway namespace. */
export const GATEWAY_NAME = 'mesh-gateway';
const TLS_SECRET_NAME = 'mesh-gateway-tls';
const SYNC_NAME = 'mesh-gateway-tls-sync';

/** The credentials block both providers share: the cluster's host and CA, and kubelogin. */
function clusterAccess(cluster: MeshCluster, options: MeshConnectionOptions) {
  const kubeConfig = cluster.resource.kubeConfig.get(0);
  return kubeloginAccess(kubeConfig.host, kubeConfig.clusterCaCertificate, options);
}

/** The credentials block of the kubernetes and helm providers: API server host, base64 CA, and kubelogin. */
export function kubeloginAccess(host: string, clusterCaCertificateBase64: string, options: MeshConnectionOptions) {
  const mode = options.kubeloginMode ?? KubeloginMode.AZURE_CLI;
  const env = options.kubeloginEnv === undefined ? undefined : { ...options.kubeloginEnv };
  return {
    host,
    clusterCaCertificate: Fn.base64decode(clusterCaCertificateBase64),
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'kubelogin',
      args: ['get-token', '--login', mode, '--server-id', AKS_SERVER_ID],
      // cdktf snake_cases keys of provider blocks; a lazy value keeps the variable names as given.
      env: env === undefined ? undefined : Lazy.anyValue({ produce: () => env }) as unknown as { [key: string]: string },
    },
  };
}

/**
 * The kubernetes and helm providers of a stack that talks to a cluster, created under `scope` with ids
 * `KubernetesProvider` and `HelmProvider`, from the cluster's API server host and base64 CA.
 */
export function clusterProviders(
  scope: Construct, host: string, clusterCaCertificateBase64: string, options: MeshConnectionOptions,
): [KubernetesProvider, HelmProvider] {
  const access = kubeloginAccess(host, clusterCaCertificateBase64, options);
  const kubernetes = new KubernetesProvider(scope, 'KubernetesProvider', {
    alias: options.providerAlias,
    host: access.host,
    clusterCaCertificate: access.clusterCaCertificate,
    exec: [access.exec],
  });
  const helm = new HelmProvider(scope, 'HelmProvider', { alias: options.providerAlias, kubernetes: access as HelmProviderKubernetes });
  return [kubernetes, helm];
}

export function checkAccessOptions(scope: Construct, options: MeshConnectionOptions): void {
  checkOneOf(scope, 'kubeloginMode', options.kubeloginMode, Object.values(KubeloginMode));
  checkPattern(scope, 'providerAlias', options.providerAlias, /^[a-zA-Z][a-zA-Z0-9_-]*$/, 'a Terraform identifier such as "mesh"');
  if (options.kubeloginEnv !== undefined && !isUnresolved(options.kubeloginEnv)) {
    for (const key of Object.keys(options.kubeloginEnv)) {
      checkPattern(scope, `kubeloginEnv.${key}`, key, /^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as "AZURE_CLIENT_ID"');
    }
  }
}

/**
 * Two providers of a type without alias, or with the same alias, in one stack are a Terraform error
 * ("Duplicate provider configuration"): connections (or chart installs) sharing a stack need distinct aliases.
 */
export function checkProviderAlias<T extends Construct>(scope: T, alias: string | undefined, kind: new (...args: any[]) => T): void {
  const stack = TerraformStack.of(scope);
  const clash = stack.node.findAll().find((c) => c !== scope && c instanceof kind && TerraformStack.of(c) === stack
    && (c as unknown as { providerAlias?: string }).providerAlias === alias);
  if (clash) {
    throw new ConstructValidationError(scope, 'providerAlias', alias,
      `expected an alias that '${clash.node.path}' in the same stack does not use: each needs its own kubernetes and helm providers.`);
  }
}

/** The connection of each cluster: the mesh-wide resources exist once per cluster. */
const CONNECTIONS = new WeakMap<MeshCluster, MeshConnection>();

/**
 * The in-cluster side of a `MeshCluster`, in a stack of its own (create it with `cluster.connect`):
 * the stack's `kubernetes` and `helm` providers, configured from the cluster with kubelogin, and the
 * mesh-wide resources: STRICT mutual TLS in the root namespace, egress restricted to the mesh's
 * registry, the Istio `Gateway` serving HTTPS for `*.<hostDomain>` on the internal ingress gateway
 * with the Key Vault certificate, and the wildcard DNS record pointing at the gateway's private IP.
 *
 * It implements `IMesh`: in-cluster constructs (`MeshService`) built in the same stack take it.
 *
 * @example
 * const mesh = cluster.connect(workloads, 'Mesh'); // a MeshConnection
 * new MeshService(workloads, 'Orders', { mesh, image: 'shop.azurecr.io/orders:1.4.2', ports: [MeshPort.http(8080)] });
 */
export class MeshConnection extends Construct implements IMesh {
  /**
   * The mesh of a cluster that exists outside this app (a platform team's), for a team's own stack:
   * the cluster's endpoint is read with a data source and configures the stack's kubernetes and helm
   * providers (kubelogin); no mesh-wide resource is created (the platform's connection owns them).
   * In-cluster constructs of the stack (`MeshService`, `MeshNamespace`) take the result as their mesh.
   *
   * @example
   * const mesh = MeshConnection.fromClusterAttributes(teamStack, 'Mesh', {
   *   clusterName: 'aks-shop', resourceGroupName: 'rg-shop', istioMode: IstioMode.AKS_ADDON, revision: 'asm-1-30',
   * });
   * const reviews = new MeshService(teamStack, 'Reviews', { mesh, image: 'shop.azurecr.io/reviews:1.0.0', ports: [MeshPort.http(8080)] });
   */
  public static fromClusterAttributes(scope: Construct, id: string, attrs: MeshClusterAttributes): IMesh {
    return new ImportedMesh(scope, id, attrs);
  }

  /** The `kubernetes` provider of the stack, from the cluster. */
  public readonly kubernetesProvider: KubernetesProvider;
  /** The cluster whose mesh this is. */
  public readonly cluster: MeshCluster;
  /** The `helm` provider of the stack, from the cluster. */
  public readonly helmProvider: HelmProvider;
  /** Helm mode: the charts, in their own stack. */
  public readonly istioInstall?: IstioHelmInstall;
  /** Mesh-wide `PeerAuthentication` STRICT in the root namespace. */
  public readonly peerAuthentication: Manifest;
  /** Add-on mode with `restrictEgress`: the root-namespace default `Sidecar` with REGISTRY_ONLY. */
  public readonly egressSidecar?: Manifest;
  /** `SecretProviderClass` syncing the gateway certificate from Key Vault into the TLS secret. */
  public readonly certificateProvider: Manifest;
  /** Pods that mount the certificate, which makes the secrets provider create and rotate the TLS secret. */
  public readonly certificateSync: DeploymentV1;
  /** Keeps one sync pod up during node drains (the TLS secret goes when the last one goes). */
  public readonly certificateSyncDisruptionBudget: PodDisruptionBudgetV1;
  /** The Istio `Gateway` serving HTTPS for `*.<hostDomain>`. */
  public readonly gateway: Manifest;
  /** The internal ingress gateway's Service, read for its load balancer IP. */
  public readonly gatewayService: DataKubernetesServiceV1;
  /** `*.<hostDomain>` -> the gateway's private IP. */
  public readonly wildcardRecord: PrivateDnsARecord;

  public readonly istioMode: IstioMode;
  public readonly revision: string;
  public readonly rootNamespace: string;
  public readonly ingressGatewayNamespace: string;
  public readonly ingressGatewaySelector: { [key: string]: string };
  public readonly ingressGatewayPeer: IMeshPeer;
  public readonly ingressGatewayNetwork?: IBackendNetwork;
  public readonly gatewayRef: string;
  public readonly hostDomain: string;
  public readonly injectionLabels: { [key: string]: string };
  /** Name of the TLS secret in the gateway namespace. */
  public readonly tlsSecretName: string;
  /** Alias of the providers the connection created, if any. */
  public readonly providerAlias?: string;

  constructor(scope: Construct, id: string, props: MeshConnectionProps) {
    super(scope, id);
    const cluster = props.cluster;
    this.cluster = cluster;
    const stack = TerraformStack.of(this);
    const clusterStack = TerraformStack.of(cluster);
    if (stack === clusterStack) {
      throw new ConstructValidationError(this, 'scope', scope.node.path,
        `expected a construct in another TerraformStack than the cluster's ('${clusterStack.node.path}'): kubernetes_manifest `
        + 'reads the cluster\'s API at plan time, so in-cluster resources cannot be planned in the run that creates the cluster.');
    }
    const existing = CONNECTIONS.get(cluster);
    if (existing) {
      throw new ConstructValidationError(this, 'scope', scope.node.path,
        `expected one connection per cluster: '${cluster.node.path}' is already connected at '${existing.node.path}', which holds the mesh-wide `
        + 'resources (PeerAuthentication, Gateway, certificate sync); in-cluster constructs of other stacks take that connection as their IMesh.');
    }
    checkAccessOptions(this, props);
    this.providerAlias = props.providerAlias;
    checkProviderAlias(this, props.providerAlias, MeshConnection);
    const image = props.certificateSyncImage ?? 'mcr.microsoft.com/oss/kubernetes/pause:3.6';
    checkImage(this, 'certificateSyncImage', image);
    ClusterStackGuard.apply(this);

    this.istioMode = cluster.istioMode;
    this.revision = cluster.revision;
    this.rootNamespace = cluster.rootNamespace;
    this.ingressGatewayNamespace = cluster.ingressGatewayNamespace;
    this.ingressGatewaySelector = { ...cluster.ingressGatewaySelector };
    this.ingressGatewayPeer = cluster.ingressGatewayPeer;
    this.ingressGatewayNetwork = cluster.ingressGatewayNetwork;
    this.gatewayRef = `${cluster.ingressGatewayNamespace}/${GATEWAY_NAME}`;
    this.hostDomain = cluster.hostDomain;
    this.injectionLabels = { ...cluster.injectionLabels };
    this.tlsSecretName = TLS_SECRET_NAME;
    const restrictEgress = props.restrictEgress ?? true;

    if (cluster.istioMode === IstioMode.HELM) {
      const installScope = props.istioInstallScope;
      if (installScope === undefined) {
        throw new ConstructValidationError(this, 'istioInstallScope', undefined,
          'required with IstioMode.HELM: a construct in a third stack for the Istio charts, applied before this one, because '
          + 'the base chart installs the CRDs that kubernetes_manifest needs at plan time.');
      }
      const installStack = TerraformStack.of(installScope);
      if (installStack === stack || installStack === clusterStack) {
        throw new ConstructValidationError(this, 'istioInstallScope', installScope.node.path,
          `expected a construct in a stack other than the cluster's ('${clusterStack.node.path}') and this connection's ('${stack.node.path}').`);
      }
      this.istioInstall = new IstioHelmInstall(installScope, `${id}Istio`, {
        cluster,
        restrictEgress,
        kubeloginMode: props.kubeloginMode,
        kubeloginEnv: props.kubeloginEnv,
        providerAlias: props.providerAlias,
      });
      // Nothing here references the charts by token, so cdktf would not order the stacks by itself.
      stack.addDependency(installStack);
    } else if (props.istioInstallScope !== undefined) {
      throw new ConstructValidationError(this, 'istioInstallScope', props.istioInstallScope.node.path, 'only used with IstioMode.HELM.');
    }

    CONNECTIONS.set(cluster, this);

    const kubeConfig = cluster.resource.kubeConfig.get(0);
    [this.kubernetesProvider, this.helmProvider] = clusterProviders(this, kubeConfig.host, kubeConfig.clusterCaCertificate, props);
    const provider = this.kubernetesProvider;

    this.peerAuthentication = new Manifest(this, 'PeerAuthentication', {
      provider,
      manifest: {
        apiVersion: 'security.istio.io/v1',
        kind: 'PeerAuthentication',
        metadata: { name: 'default', namespace: this.rootNamespace },
        spec: { mtls: { mode: 'STRICT' } },
      },
    });
    if (restrictEgress && cluster.istioMode === IstioMode.AKS_ADDON) {
      // A Sidecar without workloadSelector in the root namespace is the mesh's default.
      this.egressSidecar = new Manifest(this, 'EgressSidecar', {
        provider,
        manifest: {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Sidecar',
          metadata: { name: 'default', namespace: this.rootNamespace },
          spec: {
            egress: [{ hosts: ['*/*'] }],
            outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' },
          },
        },
      });
    }

    // The gateway certificate: Key Vault -> CSI secrets provider -> TLS secret in the gateway namespace.
    const certificateObjects = [
      'array:',
      '  - |',
      `    objectName: ${cluster.gatewayCertificateName}`,
      '    objectType: secret',
      '',
    ].join('\n');
    this.certificateProvider = new Manifest(this, 'CertificateProvider', {
      provider,
      manifest: {
        apiVersion: 'secrets-store.csi.x-k8s.io/v1',
        kind: 'SecretProviderClass',
        metadata: { name: TLS_SECRET_NAME, namespace: this.ingressGatewayNamespace },
        spec: {
          provider: 'azure',
          secretObjects: [{
            secretName: TLS_SECRET_NAME,
            type: 'kubernetes.io/tls',
            data: [
              { objectName: cluster.gatewayCertificateName, key: 'tls.key' },
              { objectName: cluster.gatewayCertificateName, key: 'tls.crt' },
            ],
          }],
          parameters: {
            usePodIdentity: 'false',
            useVMManagedIdentity: 'true',
            userAssignedIdentityID: cluster.resource.keyVaultSecretsProvider.secretIdentity.get(0).clientId,
            keyvaultName: cluster.keyVaultName,
            tenantId: cluster.clientConfig.tenantId,
            objects: certificateObjects,
          },
        },
      },
    });
    const syncLabels = { 'app.kubernetes.io/name': SYNC_NAME, 'app.kubernetes.io/part-of': 'mesh' };
    this.certificateSync = new DeploymentV1(this, 'CertificateSync', {
      provider,
      dependsOn: [this.certificateProvider],
      metadata: { name: SYNC_NAME, namespace: this.ingressGatewayNamespace, labels: syncLabels },
      spec: {
        replicas: '2',
        selector: { matchLabels: syncLabels },
        template: {
          metadata: { labels: { ...syncLabels, 'sidecar.istio.io/inject': 'false' } },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: '65535',
              runAsGroup: '65535',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraint: [{
              maxSkew: 1,
              topologyKey: 'topology.kubernetes.io/zone',
              whenUnsatisfiable: 'ScheduleAnyway',
              labelSelector: [{ matchLabels: syncLabels }],
            }],
            container: [{
              name: 'sync',
              image,
              resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '50m', memory: '32Mi' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                runAsNonRoot: true,
                capabilities: { drop: ['ALL'] },
              },
              volumeMount: [{ name: 'gateway-tls', mountPath: '/mnt/gateway-tls', readOnly: true }],
            }],
            volume: [{
              name: 'gateway-tls',
              csi: { driver: 'secrets-store.csi.k8s.io', readOnly: true, volumeAttributes: { secretProviderClass: TLS_SECRET_NAME } },
            }],
          },
        },
      },
    });
    PolicySuppressions.add(this.certificateSync, [{
      id: 'AGM-K8S-007',
      reason: 'The pause container only keeps the CSI volume mounted, which keeps the gateway TLS secret synced from Key Vault; it serves nothing a probe could ask, and the kubelet restarts it if it exits.',
    }]);
    this.certificateSyncDisruptionBudget = new PodDisruptionBudgetV1(this, 'CertificateSyncDisruptionBudget', {
      provider,
      metadata: { name: SYNC_NAME, namespace: this.ingressGatewayNamespace, labels: syncLabels },
      spec: { minAvailable: '1', selector: { matchLabels: syncLabels } },
    });

    this.gateway = new Manifest(this, 'Gateway', {
      provider,
      manifest: {
        apiVersion: 'networking.istio.io/v1',
        kind: 'Gateway',
        metadata: { name: GATEWAY_NAME, namespace: this.ingressGatewayNamespace },
        spec: {
          selector: this.ingressGatewaySelector,
          servers: [{
            port: { number: 443, name: 'https', protocol: 'HTTPS' },
            hosts: [`*.${this.hostDomain}`],
            tls: { mode: 'SIMPLE', credentialName: TLS_SECRET_NAME, minProtocolVersion: 'TLSV1_2' },
          }],
        },
      },
    });

    this.gatewayService = new DataKubernetesServiceV1(this, 'GatewayService', {
      provider,
      metadata: { name: cluster.ingressGatewayServiceName, namespace: this.ingressGatewayNamespace },
    });
    // While the internal load balancer has no IP yet (its frontend is pending, e.g. until the cluster
    // identity's role on the subnet propagates), the Service's status has no ingress entry: a plain
    // `[0]` index would fail the plan with "Invalid index". `try` keeps the expression valid and the
    // precondition stops the plan with what to do instead.
    const gatewayIp = Fn.try([this.gatewayService.status.get(0).loadBalancer.get(0).ingress.get(0).ip, '']);
    this.wildcardRecord = new PrivateDnsARecord(this, 'WildcardRecord', {
      name: '*',
      zoneName: cluster.privateDnsZone.name,
      resourceGroupName: cluster.resourceGroupName,
      ttl: 300,
      records: [gatewayIp],
      lifecycle: {
        precondition: [{
          condition: Op.gte(Fn.lengthOf(gatewayIp), 1),
          errorMessage: `The Istio ingress gateway Service ${this.ingressGatewayNamespace}/${cluster.ingressGatewayServiceName} has no load balancer IP yet, `
            + 'so its DNS record cannot be written. Check why: kubectl -n ' + this.ingressGatewayNamespace + ' describe service '
            + cluster.ingressGatewayServiceName + ' (a common cause is the cluster identity\'s "Network Contributor" role on the subnet, '
            + 'which takes minutes to propagate after the cluster is created), then plan this stack again.',
        }],
      },
    });
  }
}

/** Props of `IstioHelmInstall`. */
export interface IstioHelmInstallProps {
  /** The cluster (in Helm mode). */
  readonly cluster: MeshCluster;
  /**
   * How kubelogin authenticates.
   * @default KubeloginMode.AZURE_CLI
   */
  readonly kubeloginMode?: KubeloginMode;
  /**
   * Environment variables for kubelogin.
   * @default - none
   */
  readonly kubeloginEnv?: { [key: string]: string };
  /**
   * Alias of the helm provider created.
   * @default - the default provider
   */
  readonly providerAlias?: string;
  /**
   * `meshConfig.outboundTrafficPolicy.mode = REGISTRY_ONLY` on istiod.
   * @default true
   */
  readonly restrictEgress?: boolean;
}

/**
 * Upstream Istio installed with its Helm charts (`base`, `istiod`, `gateway`) into a `MeshCluster`
 * in Helm mode, with its own `helm` provider. It goes in a stack of its own, applied between the
 * cluster's stack and the in-cluster stack (`MeshCluster.connect` creates it in `istioInstallScope`).
 *
 * @example
 * const cluster = new MeshCluster(platform, 'Cluster', { resourceGroupName: 'rg-shop', location: 'westeurope',
 *   subnet: network.computeSubnet, istio: { mode: IstioMode.HELM, chartVersion: '1.30.3' } });
 * const meshInstall = new TerraformStack(app, 'mesh-install');
 * cluster.connect(workloads, 'Mesh', { istioInstallScope: meshInstall }); // creates the IstioHelmInstall there
 */
export class IstioHelmInstall extends Construct {
  /** The helm provider of the stack, from the cluster. */
  public readonly helmProvider: HelmProvider;
  /** `base`: CRDs and cluster roles. */
  public readonly baseRelease: Release;
  /** `istiod`: the control plane, 2+ replicas. */
  public readonly istiodRelease: Release;
  /** `gateway`: the internal ingress gateway, on an internal load balancer. */
  public readonly gatewayRelease: Release;
  /** Alias of the helm provider created, if any. */
  public readonly providerAlias?: string;

  constructor(scope: Construct, id: string, props: IstioHelmInstallProps) {
    super(scope, id);
    const cluster = props.cluster;
    if (cluster.istioMode !== IstioMode.HELM) {
      throw new ConstructValidationError(this, 'cluster', cluster.node.path, 'expected a MeshCluster with istio.mode IstioMode.HELM.');
    }
    if (TerraformStack.of(this) === TerraformStack.of(cluster)) {
      throw new ConstructValidationError(this, 'scope', scope.node.path, 'expected a construct in another TerraformStack than the cluster\'s.');
    }
    checkAccessOptions(this, props);
    this.providerAlias = props.providerAlias;
    checkProviderAlias(this, props.providerAlias, IstioHelmInstall);
    this.helmProvider = new HelmProvider(this, 'HelmProvider', {
      alias: props.providerAlias,
      kubernetes: clusterAccess(cluster, props) as HelmProviderKubernetes,
    });
    const common = {
      provider: this.helmProvider,
      repository: cluster.chartRepository,
      version: cluster.revision,
      wait: true,
      timeout: 600,
    };
    this.baseRelease = new Release(this, 'Base', {
      ...common, name: 'istio-base', chart: 'base', namespace: cluster.rootNamespace, createNamespace: true,
    });
    const istiodValues = [
      // Two replicas at least: the control plane survives a node drain.
      { name: 'pilot.autoscaleMin', value: '2' },
    ];
    if (props.restrictEgress ?? true) istiodValues.push({ name: 'meshConfig.outboundTrafficPolicy.mode', value: 'REGISTRY_ONLY' });
    this.istiodRelease = new Release(this, 'Istiod', {
      ...common,
      name: 'istiod',
      chart: 'istiod',
      namespace: cluster.rootNamespace,
      set: istiodValues,
      dependsOn: [this.baseRelease],
    });
    const annotation = (key: string) => `service.annotations.service\\.beta\\.kubernetes\\.io/${key}`;
    const gatewayValues = [
      { name: annotation('azure-load-balancer-internal'), value: 'true', type: 'string' },
      { name: 'autoscaling.minReplicas', value: '2' },
      { name: 'podDisruptionBudget.minAvailable', value: '1' },
    ];
    if (cluster.gatewayPrivateIp !== undefined) {
      gatewayValues.push({ name: annotation('azure-load-balancer-ipv4'), value: cluster.gatewayPrivateIp, type: 'string' });
    }
    this.gatewayRelease = new Release(this, 'Gateway', {
      ...common,
      name: cluster.ingressGatewayServiceName,
      chart: 'gateway',
      namespace: cluster.ingressGatewayNamespace,
      createNamespace: true,
      set: gatewayValues,
      dependsOn: [this.istiodRelease],
    });
  }
}

/**
 * An image reference (optional registry host and port, lower-case repository path, tag and/or digest)
 * with a tag other than `latest` (in any case, as the policy pack reads it), or a digest.
 */
