import { DataAzurermKubernetesCluster } from '@cdktf/provider-azurerm/lib/data-azurerm-kubernetes-cluster';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { checkAccessOptions, clusterProviders, GATEWAY_NAME, KubeloginMode } from './mesh-connection';
import { ClusterStackGuard } from './stack-guard';
import { TerraformStack } from '../core/cdktf';
import { IMesh, IMeshPeer, IstioMode } from '../core/contracts';
import { ConstructValidationError } from '../core/errors';
import { checkOneOf, checkPattern, checkRequired } from '../core/validate';

/** What a team is told about a shared cluster, for `MeshConnection.fromClusterAttributes`. */
export interface MeshClusterAttributes {
  /** Name of the existing AKS cluster. */
  readonly clusterName: string;
  /** Resource group of the cluster. */
  readonly resourceGroupName: string;
  /**
   * How Istio is installed on the cluster.
   * @default IstioMode.AKS_ADDON
   */
  readonly istioMode?: IstioMode;
  /**
   * The Istio revision the cluster runs: the add-on revision (`asm-1-30`) with `IstioMode.AKS_ADDON`,
   * the chart version (`1.30.3`) with `IstioMode.HELM`. Namespaces are labelled for it.
   */
  readonly revision: string;
  /**
   * DNS domain under which the platform exposes services through the ingress gateway (`MeshClusterProps.hostDomain`).
   * @default "mesh.internal"
   */
  readonly hostDomain?: string;
  /**
   * Name of the Istio `Gateway` (in the ingress gateway's namespace) that VirtualServices bind to.
   * @default "mesh-gateway" (the one `MeshCluster.connect` creates)
   */
  readonly gatewayName?: string;
  /**
   * How kubelogin authenticates. The identity needs "Azure Kubernetes Service Cluster User Role" (the data
   * source reads the cluster's endpoint) and an Azure RBAC role on the cluster that can create the team's
   * namespaces and their resources (e.g. "Azure Kubernetes Service RBAC Cluster Admin", or a custom role).
   * @default KubeloginMode.AZURE_CLI
   */
  readonly kubeloginMode?: KubeloginMode;
  /**
   * Environment variables for kubelogin.
   * @default - kubelogin reads the environment Terraform runs in
   */
  readonly kubeloginEnv?: { [key: string]: string };
  /**
   * Alias of the kubernetes and helm providers created, for a stack that talks to more than one cluster.
   * @default - default (unaliased) providers
   */
  readonly providerAlias?: string;
}

/**
 * A mesh on a cluster that exists outside this app (owned by a platform team), for a team's own
 * stack: the cluster is read with the `azurerm_kubernetes_cluster` data source, which configures the
 * stack's `kubernetes` and `helm` providers (exec kubelogin, as `MeshCluster.connect` does). It creates
 * no mesh-wide resource (those are the platform's connection's): in-cluster constructs
 * (`MeshService`, `MeshNamespace`) built in the stack take it as their `IMesh`.
 * Create it with `MeshConnection.fromClusterAttributes`.
 *
 * @example
 * const mesh = MeshConnection.fromClusterAttributes(teamStack, 'Mesh', {
 *   clusterName: 'aks-shop', resourceGroupName: 'rg-shop', istioMode: IstioMode.AKS_ADDON, revision: 'asm-1-30',
 * });
 */
export class ImportedMesh extends Construct implements IMesh {
  /** The cluster, as read from Azure. */
  public readonly cluster: DataAzurermKubernetesCluster;
  /** The `kubernetes` provider of the stack. */
  public readonly kubernetesProvider: KubernetesProvider;
  /** The `helm` provider of the stack. */
  public readonly helmProvider: HelmProvider;
  public readonly istioMode: IstioMode;
  public readonly revision: string;
  public readonly rootNamespace: string;
  public readonly ingressGatewayNamespace: string;
  public readonly ingressGatewaySelector: { [key: string]: string };
  public readonly ingressGatewayPeer: IMeshPeer;
  public readonly gatewayRef: string;
  public readonly hostDomain: string;
  public readonly injectionLabels: { [key: string]: string };
  /** Alias of the providers created, if any. */
  public readonly providerAlias?: string;

  constructor(scope: Construct, id: string, attrs: MeshClusterAttributes) {
    super(scope, id);
    checkRequired(this, 'clusterName', attrs.clusterName);
    checkRequired(this, 'resourceGroupName', attrs.resourceGroupName);
    checkPattern(this, 'clusterName', attrs.clusterName, /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,61}[a-zA-Z0-9]?$/, 'an AKS cluster name: 1-63 letters, digits, underscores and hyphens');
    this.istioMode = attrs.istioMode ?? IstioMode.AKS_ADDON;
    checkOneOf(this, 'istioMode', this.istioMode, [IstioMode.AKS_ADDON, IstioMode.HELM]);
    checkRequired(this, 'revision', attrs.revision);
    this.revision = attrs.revision;
    // The same facts MeshCluster states for each mode.
    let serviceAccount: string;
    if (this.istioMode === IstioMode.AKS_ADDON) {
      checkPattern(this, 'revision', this.revision, /^asm-1-\d{2}$/, 'an add-on revision of the form "asm-1-NN", e.g. "asm-1-30"');
      this.rootNamespace = 'aks-istio-system';
      this.ingressGatewayNamespace = 'aks-istio-ingress';
      serviceAccount = 'aks-istio-ingressgateway-internal';
      this.ingressGatewaySelector = { istio: 'aks-istio-ingressgateway-internal' };
      this.injectionLabels = { 'istio.io/rev': this.revision };
    } else {
      checkPattern(this, 'revision', this.revision, /^1\.(2[6-9]|[3-9]\d)\.\d+$/, 'an Istio release "1.NN.P", 1.26 or newer (the chart version)');
      this.rootNamespace = 'istio-system';
      this.ingressGatewayNamespace = 'istio-ingress';
      serviceAccount = 'istio-ingressgateway-internal';
      this.ingressGatewaySelector = { istio: 'ingressgateway-internal' };
      this.injectionLabels = { 'istio-injection': 'enabled' };
    }
    this.ingressGatewayPeer = { principal: `cluster.local/ns/${this.ingressGatewayNamespace}/sa/${serviceAccount}`, peerName: 'ingress-gateway' };
    this.hostDomain = attrs.hostDomain ?? 'mesh.internal';
    checkPattern(this, 'hostDomain', this.hostDomain, /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
      'a lower-case DNS domain with at least two labels, e.g. "mesh.internal"');
    const gatewayName = attrs.gatewayName ?? GATEWAY_NAME;
    checkPattern(this, 'gatewayName', gatewayName, /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'a Kubernetes resource name such as "mesh-gateway"');
    this.gatewayRef = `${this.ingressGatewayNamespace}/${gatewayName}`;

    checkAccessOptions(this, attrs);
    this.providerAlias = attrs.providerAlias;
    const stack = TerraformStack.of(this);
    const clash = stack.node.findAll().find((c) => c instanceof KubernetesProvider && c.alias === attrs.providerAlias);
    if (clash) {
      throw new ConstructValidationError(this, 'providerAlias', attrs.providerAlias,
        `expected an alias that '${clash.node.path}' in the same stack does not use: each cluster needs its own kubernetes and helm providers.`);
    }
    ClusterStackGuard.apply(this);

    this.cluster = new DataAzurermKubernetesCluster(this, 'Cluster', { name: attrs.clusterName, resourceGroupName: attrs.resourceGroupName });
    const kubeConfig = this.cluster.kubeConfig.get(0);
    [this.kubernetesProvider, this.helmProvider] = clusterProviders(this, kubeConfig.host, kubeConfig.clusterCaCertificate, attrs);
  }
}
