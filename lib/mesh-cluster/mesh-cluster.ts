import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { KeyVault } from '@cdktf/provider-azurerm/lib/key-vault';
import { KubernetesCluster } from '@cdktf/provider-azurerm/lib/kubernetes-cluster';
import { KubernetesClusterNodePool } from '@cdktf/provider-azurerm/lib/kubernetes-cluster-node-pool';
import { MonitorDiagnosticSetting } from '@cdktf/provider-azurerm/lib/monitor-diagnostic-setting';
import { NetworkSecurityGroup } from '@cdktf/provider-azurerm/lib/network-security-group';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { SubnetNetworkSecurityGroupAssociation } from '@cdktf/provider-azurerm/lib/subnet-network-security-group-association';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { Construct } from 'constructs';
import { MeshConnection, MeshConnectionOptions } from './mesh-connection';
import {
  AksSkuTier, ApiServerAccess, AutomaticUpgradeChannel, IstioOptions, MaintenanceWindow, NetworkPolicyEngine,
  NodeOsUpgradeChannel, NodePoolOptions, PodNetworking,
} from './options';
import { ClusterStackGuard } from './stack-guard';
import { Fn, Lazy } from '../core/cdktf';
import { Cidr, cidrContains, cidrHasAddress, cidrHost, cidrOverlaps, cidrSize, parseCidr } from '../core/cidr';
import { IBackendNetwork, IMeshPeer, ISubnet, IstioMode, ResourcePlacement } from '../core/contracts';
import { addDiagnostics } from '../core/diagnostics';
import { ConstructValidationError, isUnresolved } from '../core/errors';
import { AzureModuleProps, ManagedIdentityReference, ModuleInterfaceResources } from '../core/module-interface';
import { applyModuleInterface, checkIdentityReference } from '../core/module-resources';
import { uniqueSuffix, waitForRoleAssignments } from '../core/readiness';
import { checkAzureName, checkGuid, checkInteger, checkLists, checkObject, checkOneOf, checkPattern, checkPlacement, checkPropsObject, checkRequired, checkTags, checkUnique } from '../core/validate';

/**
 * Props of `MeshCluster`. Of the module interface: `lock` (CanNotDelete only), `roleAssignments` and
 * `diagnosticSettings` of the AKS cluster. A CanNotDelete lock also blocks deleting node pools, so a
 * change that rotates the system pool (e.g. its VM size) needs the lock removed first.
 */
export interface MeshClusterProps extends ResourcePlacement, AzureModuleProps {
  /** The compute subnet: AKS nodes (and, with `PodNetworking.VNET`, pods). MeshCluster creates and associates its NSG. */
  readonly subnet: ISubnet;
  /**
   * Name of the AKS cluster.
   * @default "aks-mesh"
   */
  readonly name?: string;
  /**
   * DNS prefix of the API server's FQDN: 1-54 letters, digits and hyphens, starting and ending with a letter or digit.
   * @default - the cluster name, with underscores as hyphens and cut to 54 characters
   */
  readonly dnsPrefix?: string;
  /**
   * Kubernetes version, `1.NN` or `1.NN.P`.
   * @default - AKS's default version at creation; then the automatic upgrade channel keeps it current
   */
  readonly kubernetesVersion?: string;
  /**
   * Pricing tier.
   * @default AksSkuTier.STANDARD
   */
  readonly skuTier?: AksSkuTier;
  /**
   * Who can reach the API server.
   * @default ApiServerAccess.privateCluster()
   */
  readonly apiServerAccess?: ApiServerAccess;
  /**
   * Object ids (GUIDs) of the Entra ID groups made cluster admins (Kubernetes RBAC). Other access goes through Azure RBAC roles
   * on the cluster (e.g. "Azure Kubernetes Service RBAC Cluster Admin" for the identity that applies
   * the in-cluster stack).
   * @default - none
   */
  readonly adminGroupObjectIds?: string[];
  /**
   * Keeps the local (certificate) accounts. Off, every access is an Entra ID identity checked by Azure RBAC.
   * @default false
   */
  readonly localAccountsEnabled?: boolean;
  /**
   * Encrypts the nodes' temporary disks and OS/data disk caches at the VM host. Needs the
   * subscription feature `Microsoft.Compute/EncryptionAtHost` registered
   * (`az feature register --namespace Microsoft.Compute --name EncryptionAtHost`); set false
   * only where that cannot be done (policy AGM-AZ-023 then wants a suppression with a reason).
   * @default true
   */
  readonly hostEncryptionEnabled?: boolean;
  /**
   * The Azure Policy add-on (Gatekeeper), which enforces the policies assigned to the cluster.
   * @default true
   */
  readonly azurePolicyEnabled?: boolean;
  /**
   * Workload identity and the OIDC issuer it needs, so pods get Entra ID tokens without secrets.
   * @default true
   */
  readonly workloadIdentityEnabled?: boolean;
  /**
   * Automatic Kubernetes upgrades.
   * @default AutomaticUpgradeChannel.PATCH
   */
  readonly automaticUpgradeChannel?: AutomaticUpgradeChannel;
  /**
   * Automatic node OS patching.
   * @default NodeOsUpgradeChannel.NODE_IMAGE
   */
  readonly nodeOsUpgradeChannel?: NodeOsUpgradeChannel;
  /**
   * When upgrades and node patches may run.
   * @default - Sundays 00:00-04:00 UTC
   */
  readonly maintenanceWindow?: MaintenanceWindow;
  /**
   * How often the Key Vault secrets provider polls Key Vault for rotated secrets: a positive duration
   * in hours, minutes and seconds (e.g. `2m`, `1h`, `1h30m`).
   * @default "2m"
   */
  readonly secretRotationInterval?: string;
  /**
   * The system node pool, tainted for critical add-ons only (CoreDNS, metrics, the Istio add-on's control plane).
   * @default - Standard_D4ds_v5, 2 to 3 nodes, 110 pods per node
   */
  readonly systemNodePool?: NodePoolOptions;
  /**
   * The user node pool for workloads (and, in Helm mode, istiod and the gateway).
   * @default - Standard_D4ds_v5, 2 to 10 nodes, 110 pods per node
   */
  readonly workloadNodePool?: NodePoolOptions;
  /**
   * Availability zones both pools spread over; `[]` for a region without zones.
   * @default ["1", "2", "3"]
   */
  readonly zones?: string[];
  /**
   * Network policy engine. Cilium needs `PodNetworking.OVERLAY` (the azurerm provider requires overlay
   * or a pod subnet for the Cilium data plane).
   * @default - NetworkPolicyEngine.CILIUM with PodNetworking.OVERLAY, NetworkPolicyEngine.CALICO with PodNetworking.VNET
   */
  readonly networkPolicy?: NetworkPolicyEngine;
  /**
   * Where pods take their addresses from.
   * @default PodNetworking.OVERLAY
   */
  readonly podNetworking?: PodNetworking;
  /**
   * Overlay only: the pods' private CIDR; must not overlap the VNet or the service CIDR. Every node takes
   * a /24 of it, so it must hold one /24 per node at full scale (plus surge).
   * @default "192.168.0.0/16"
   */
  readonly podCidr?: string;
  /**
   * CIDR of Kubernetes services; must not overlap the VNet or the pod CIDR.
   * @default "172.16.0.0/16"
   */
  readonly serviceCidr?: string;
  /**
   * IP of the cluster DNS service, inside the service CIDR (not its network address, its first host,
   * which the `kubernetes` service takes, or its last address).
   * @default - the tenth address of the service CIDR ("172.16.0.10")
   */
  readonly dnsServiceIp?: string;
  /**
   * How Istio runs on the cluster.
   * @default - the AKS add-on, revision asm-1-30
   */
  readonly istio?: IstioOptions;
  /**
   * DNS domain under which services are exposed through the internal gateway (`<service>.<hostDomain>`).
   * MeshCluster creates a private DNS zone for it, linked to the VNet; Azure's `privatelink.*` zones are not allowed.
   * @default "mesh.internal"
   */
  readonly hostDomain?: string;
  /**
   * An existing Key Vault holding the gateway certificate. It must let the cluster's nodes reach it
   * (private endpoint or firewall rule); MeshCluster grants the secrets provider's identity read access.
   * @default - a Key Vault is created (RBAC, purge protection, deny-by-default firewall, private endpoint in the subnet)
   */
  readonly keyVaultId?: string;
  /**
   * Name of the created Key Vault (globally unique, 3-24 characters).
   * @default - "kv-mesh-" and a suffix derived from the subscription, the resource group and the construct path
   */
  readonly keyVaultName?: string;
  /**
   * Public IPv4 addresses or ranges allowed through the created Key Vault's firewall (e.g. to upload the
   * certificate); Key Vault refuses private (RFC 1918) ranges in IP rules. Empty, the vault has no public
   * network access at all.
   * @default - none
   */
  readonly keyVaultAllowedIpRanges?: string[];
  /**
   * An existing `privatelink.vaultcore.azure.net` zone for the created Key Vault's private endpoint
   * (e.g. a hub's central zone).
   * @default - a zone is created and linked to the VNet
   */
  readonly keyVaultPrivateDnsZoneId?: string;
  /**
   * Name of the Key Vault certificate the ingress gateway serves for `*.<hostDomain>`. Import it (with
   * its private key) from your CA; its chain is what API Management must trust.
   * @default "mesh-gateway"
   */
  readonly gatewayCertificateName?: string;
  /**
   * Log Analytics workspace for Container Insights (MSI auth) and the diagnostic settings of the
   * cluster and the created Key Vault.
   * @default - no monitoring
   */
  readonly logAnalyticsWorkspaceId?: string;
  /**
   * Tags on every created Azure resource (private DNS zones included): at most 50; names of 1-512
   * characters that start with a letter or underscore and contain no spaces or `<>%&\?/`; values of
   * at most 256 characters.
   * @default - none
   */
  readonly tags?: { [key: string]: string };
  /**
   * A user-assigned identity (bring your own) for the cluster's control plane, instead of a system-assigned
   * one; `principalId` is required. MeshCluster grants it "Network Contributor" on the subnet before the
   * cluster is created (AKS checks that permission at creation for a user-assigned identity). AKS still
   * creates the kubelet identity.
   * @default - a system-assigned identity
   */
  readonly controlPlaneIdentity?: ManagedIdentityReference;
}

/**
 * Why the cluster takes no ReadOnly lock: the provider lists the cluster user credentials (a POST, which a
 * ReadOnly lock refuses) at every refresh.
 */
const AKS_READ_ONLY = 'the azurerm provider lists the cluster\'s user credentials with a POST at every refresh (and the workloads stack '
  + 'reads the kube config), which a ReadOnly lock refuses, so every plan would fail; the lock would also freeze node pool scaling and upgrades.';

/** Addresses Azure reserves in every subnet (network, gateway, 2 DNS, broadcast). */
const AZURE_RESERVED_ADDRESSES = 5;
/** Ranges AKS refuses for service and pod CIDRs. */
const AKS_RESERVED_RANGES = ['169.254.0.0/16', '172.30.0.0/16', '172.31.0.0/16', '192.0.2.0/24'];
/** RFC 1918 ranges, which Key Vault refuses in IP rules. */
const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
/** The Istio add-on revision used when none is given (supported with asm-1-28 and asm-1-29 since July 2026). */
const DEFAULT_ADDON_REVISION = 'asm-1-30';
const DEFAULT_CHART_VERSION = '1.30.3';
const DEFAULT_CHART_REPOSITORY = 'https://istio-release.storage.googleapis.com/charts';

/**
 * An AKS cluster running Istio, hardened by default, in the compute subnet of the topology:
 * Azure CNI Overlay with Cilium network policy, Standard tier, a system pool for critical add-ons
 * and a user pool for workloads (both zonal, no node public IPs), private API server, Entra ID with
 * Azure RBAC and no local accounts, OIDC + workload identity, Azure Policy, the Key Vault secrets
 * provider with rotation, automatic upgrades in a maintenance window, Container Insights and
 * diagnostics. Istio is the managed add-on (internal ingress gateway only) or upstream Istio
 * installed by Helm.
 *
 * MeshCluster holds only Azure resources. The in-cluster side (mTLS, the HTTPS gateway, egress
 * restriction, DNS record of the gateway) lives in a second stack: `connect(workloadsStack, id)`.
 *
 * @example
 * const cluster = new MeshCluster(platform, 'Cluster', {
 *   resourceGroupName: 'rg-shop', location: 'westeurope', subnet: network.computeSubnet,
 *   istio: { mode: IstioMode.AKS_ADDON, revision: 'asm-1-30' },
 * });
 * const mesh = cluster.connect(workloads, 'Mesh'); // in-cluster resources go in a second stack
 */
export class MeshCluster extends Construct {
  /** The AKS cluster. */
  public readonly resource: KubernetesCluster;
  /** The user node pool for workloads. */
  public readonly workloadNodePool: KubernetesClusterNodePool;
  /** NSG of the compute subnet. */
  public readonly networkSecurityGroup: NetworkSecurityGroup;
  /** The NSG's rules. */
  public readonly networkSecurityRules: NetworkSecurityRule[];
  /** Association of the NSG with the compute subnet. */
  public readonly subnetNsgAssociation: SubnetNetworkSecurityGroupAssociation;
  /** "Network Contributor" on the subnet for the cluster identity (internal load balancers in a BYO subnet). */
  public readonly subnetRoleAssignment: RoleAssignment;
  /**
   * With `controlPlaneIdentity`: the wait for `subnetRoleAssignment` to propagate, which the cluster depends on.
   * @default - none with the system-assigned identity (its role can only be granted after the cluster exists)
   */
  public readonly subnetRoleAssignmentPropagation?: Sleep;
  /** Tenant and caller of the deployment. */
  public readonly clientConfig: DataAzurermClientConfig;
  /** Key Vault holding the gateway certificate (the given one or the created one). */
  public readonly keyVaultId: string;
  /** Name of that Key Vault. */
  public readonly keyVaultName: string;
  /** The created Key Vault, unless `keyVaultId` was given. */
  public readonly keyVault?: KeyVault;
  /** Private endpoint of the created Key Vault in the compute subnet. */
  public readonly keyVaultPrivateEndpoint?: PrivateEndpoint;
  /** `privatelink.vaultcore.azure.net`, when created. */
  public readonly keyVaultPrivateDnsZone?: PrivateDnsZone;
  /** Its link to the VNet, when created. */
  public readonly keyVaultPrivateDnsZoneLink?: PrivateDnsZoneVirtualNetworkLink;
  /** "Key Vault Secrets User" on the vault for the secrets provider's identity (reads the gateway certificate). */
  public readonly keyVaultRoleAssignment: RoleAssignment;
  /** Private DNS zone of `hostDomain`. */
  public readonly privateDnsZone: PrivateDnsZone;
  /** Its link to the VNet, so API Management resolves `<service>.<hostDomain>`. */
  public readonly privateDnsZoneLink: PrivateDnsZoneVirtualNetworkLink;
  /** Diagnostic setting of the cluster, when a workspace is given. */
  public readonly diagnostics?: MonitorDiagnosticSetting;
  /** Diagnostic setting of the created Key Vault, when a workspace is given. */
  public readonly keyVaultDiagnostics?: MonitorDiagnosticSetting;

  /** Resource group of the cluster. */
  public readonly resourceGroupName: string;
  /** Region of the cluster. */
  public readonly location: string;
  /** The compute subnet. */
  public readonly subnet: ISubnet;
  /** How Istio runs. */
  public readonly istioMode: IstioMode;
  /** `asm-1-NN` for the add-on, the chart version for Helm. */
  public readonly revision: string;
  /** Helm mode: the chart repository. */
  public readonly chartRepository: string;
  /** Helm mode: the pinned private IP of the gateway, if any. */
  public readonly gatewayPrivateIp?: string;
  /** Istio's root namespace (`aks-istio-system` or `istio-system`). */
  public readonly rootNamespace: string;
  /** Namespace of the internal ingress gateway. */
  public readonly ingressGatewayNamespace: string;
  /** Name of the internal ingress gateway's Service (and Deployment). */
  public readonly ingressGatewayServiceName: string;
  /** Service account of the internal ingress gateway. */
  public readonly ingressGatewayServiceAccount: string;
  /** Pod labels selecting the internal ingress gateway. */
  public readonly ingressGatewaySelector: { [key: string]: string };
  /** The internal ingress gateway as a mesh caller. */
  public readonly ingressGatewayPeer: IMeshPeer;
  /**
   * Where the internal ingress gateway listens in the VNet: its private IP (Helm mode with `istio.gatewayPrivateIp`)
   * or the compute subnet, on 443. `allowFrom(prefix)` opens the compute NSG to it (ApiGovernance.addApi calls it).
   */
  public readonly ingressGatewayNetwork: IBackendNetwork;
  /** Labels a namespace needs for sidecar injection. */
  public readonly injectionLabels: { [key: string]: string };
  /** Domain of the services exposed through the gateway. */
  public readonly hostDomain: string;
  /** Key Vault certificate served by the gateway. */
  public readonly gatewayCertificateName: string;
  /** The lock, role assignments and diagnostic settings of the cluster (`lock`, `roleAssignments`, `diagnosticSettings`). */
  public readonly moduleResources: ModuleInterfaceResources;

  constructor(scope: Construct, id: string, props: MeshClusterProps) {
    super(scope, id);
    props = checkPropsObject(this, 'props', props);
    checkRequired(this, 'subnet', props.subnet);
    checkPlacement(this, props);
    checkLists(this, props, ['adminGroupObjectIds', 'zones']);
    checkObject(this, 'systemNodePool', props.systemNodePool);
    checkObject(this, 'workloadNodePool', props.workloadNodePool);
    checkObject(this, 'maintenanceWindow', props.maintenanceWindow);
    checkObject(this, 'istio', props.istio);
    ClusterStackGuard.apply(this);

    const name = props.name ?? 'aks-mesh';
    checkAzureName(this, 'name', name, {
      min: 1,
      max: 63,
      pattern: /^[a-zA-Z0-9]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/,
      description: 'letters, digits, underscores and hyphens; starts and ends with a letter or digit',
    });
    // The name allows underscores and 63 characters; the DNS prefix neither.
    const dnsPrefix = props.dnsPrefix ?? (isUnresolved(name) ? name : name.replace(/_/g, '-').slice(0, 54).replace(/-+$/, ''));
    checkPattern(this, 'dnsPrefix', dnsPrefix, /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,52}[a-zA-Z0-9])?$/,
      '1-54 letters, digits and hyphens, starting and ending with a letter or digit');
    checkPattern(this, 'kubernetesVersion', props.kubernetesVersion, /^1\.\d{2}(\.\d+)?$/, 'a version such as "1.34" or "1.34.2"');
    checkOneOf(this, 'skuTier', props.skuTier, Object.values(AksSkuTier));
    checkOneOf(this, 'automaticUpgradeChannel', props.automaticUpgradeChannel, Object.values(AutomaticUpgradeChannel));
    checkOneOf(this, 'nodeOsUpgradeChannel', props.nodeOsUpgradeChannel, Object.values(NodeOsUpgradeChannel));
    const apiServerAccess = props.apiServerAccess ?? ApiServerAccess.privateCluster();
    this.checkAuthorizedRanges(apiServerAccess);
    (props.adminGroupObjectIds ?? []).forEach((group, i) => checkGuid(this, `adminGroupObjectIds[${i}]`, group, 'an Entra ID group object id'));
    checkUnique(this, 'adminGroupObjectIds', props.adminGroupObjectIds ?? [], (group) => (isUnresolved(group) ? group : group.toLowerCase()));
    const zones = props.zones ?? ['1', '2', '3'];
    zones.forEach((zone, i) => checkOneOf(this, `zones[${i}]`, zone, ['1', '2', '3']));
    checkUnique(this, 'zones', zones, (zone) => zone);
    // The secrets provider parses a Go duration; zero would make its poll ticker panic.
    checkPattern(this, 'secretRotationInterval', props.secretRotationInterval, /^(?=.*[1-9])(?=\d)(\d+h)?(\d+m)?(\d+s)?$/,
      'a positive duration in hours, minutes and seconds such as "2m", "1h" or "1h30m"');
    checkPattern(this, 'logAnalyticsWorkspaceId', props.logAnalyticsWorkspaceId,
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.OperationalInsights\/workspaces\/[^/]+$/i,
      'a Log Analytics workspace resource id "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.OperationalInsights/workspaces/<name>"');
    // The tags also go on private DNS zones, which are stricter about tag names.
    checkTags(this, props.tags, { dnsZoneSafe: true });
    checkIdentityReference(this, 'controlPlaneIdentity', props.controlPlaneIdentity, true);
    const controlPlaneIdentity = props.controlPlaneIdentity;
    const window = this.maintenanceWindow(props.maintenanceWindow ?? {});

    // Istio: the mode decides namespaces, names and labels; both expose the same facts.
    const istio = props.istio ?? {};
    this.istioMode = istio.mode ?? IstioMode.AKS_ADDON;
    checkOneOf(this, 'istio.mode', this.istioMode, [IstioMode.AKS_ADDON, IstioMode.HELM]);
    const subnetCidr = this.subnetCidr(props.subnet);
    if (this.istioMode === IstioMode.AKS_ADDON) {
      for (const prop of ['chartVersion', 'chartRepository', 'gatewayPrivateIp'] as const) {
        if (istio[prop] !== undefined) {
          throw new ConstructValidationError(this, `istio.${prop}`, istio[prop], 'only used with IstioMode.HELM; the add-on manages its own gateway.');
        }
      }
      this.revision = istio.revision ?? DEFAULT_ADDON_REVISION;
      checkPattern(this, 'istio.revision', this.revision, /^asm-1-\d{2}$/, 'an add-on revision of the form "asm-1-NN", e.g. "asm-1-30"');
      this.chartRepository = DEFAULT_CHART_REPOSITORY;
      this.rootNamespace = 'aks-istio-system';
      this.ingressGatewayNamespace = 'aks-istio-ingress';
      this.ingressGatewayServiceName = 'aks-istio-ingressgateway-internal';
      this.ingressGatewayServiceAccount = 'aks-istio-ingressgateway-internal';
      this.ingressGatewaySelector = { istio: 'aks-istio-ingressgateway-internal' };
      // The add-on ignores istio-injection=enabled.
      this.injectionLabels = { 'istio.io/rev': this.revision };
    } else {
      if (istio.revision !== undefined) {
        throw new ConstructValidationError(this, 'istio.revision', istio.revision, 'only used with IstioMode.AKS_ADDON; set istio.chartVersion for Helm.');
      }
      this.revision = istio.chartVersion ?? DEFAULT_CHART_VERSION;
      checkPattern(this, 'istio.chartVersion', this.revision, /^1\.(2[6-9]|[3-9]\d)\.\d+$/, 'an Istio release "1.NN.P", 1.26 or newer');
      this.chartRepository = istio.chartRepository ?? DEFAULT_CHART_REPOSITORY;
      checkPattern(this, 'istio.chartRepository', this.chartRepository, /^(https|oci):\/\/\S+$/, 'an https:// or oci:// repository URL');
      this.gatewayPrivateIp = istio.gatewayPrivateIp;
      this.checkGatewayIp(subnetCidr, istio.gatewayPrivateIp);
      this.rootNamespace = 'istio-system';
      this.ingressGatewayNamespace = 'istio-ingress';
      this.ingressGatewayServiceName = 'istio-ingressgateway-internal';
      this.ingressGatewayServiceAccount = 'istio-ingressgateway-internal';
      // The gateway chart labels pods `istio: <release name without "istio-">`.
      this.ingressGatewaySelector = { istio: 'ingressgateway-internal' };
      // The charts install the default revision, whose webhook selects this label.
      this.injectionLabels = { 'istio-injection': 'enabled' };
    }
    this.ingressGatewayPeer = {
      principal: `cluster.local/ns/${this.ingressGatewayNamespace}/sa/${this.ingressGatewayServiceAccount}`,
      peerName: 'ingress-gateway',
      podLabels: { ...this.ingressGatewaySelector },
    };
    this.hostDomain = props.hostDomain ?? 'mesh.internal';
    checkPattern(this, 'hostDomain', this.hostDomain, /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
      'a lower-case DNS domain with at least two labels, e.g. "mesh.internal"');
    if (!isUnresolved(this.hostDomain) && this.hostDomain.startsWith('privatelink.')) {
      throw new ConstructValidationError(this, 'hostDomain', this.hostDomain,
        'expected a domain of your own: privatelink.* zones belong to Azure Private Link endpoints (MeshCluster creates privatelink.vaultcore.azure.net itself).');
    }
    this.gatewayCertificateName = props.gatewayCertificateName ?? 'mesh-gateway';
    checkPattern(this, 'gatewayCertificateName', this.gatewayCertificateName, /^[a-zA-Z0-9-]{1,127}$/, 'a Key Vault object name: 1-127 letters, digits and hyphens');

    // Node pools and the address plan.
    const podNetworking = props.podNetworking ?? PodNetworking.OVERLAY;
    checkOneOf(this, 'podNetworking', podNetworking, [PodNetworking.OVERLAY, PodNetworking.VNET]);
    const system = this.nodePool('systemNodePool', props.systemNodePool ?? {}, 3, true);
    const workload = this.nodePool('workloadNodePool', props.workloadNodePool ?? {}, 10, false);
    // The Cilium data plane needs overlay (or a pod subnet, which MeshCluster does not use).
    const networkPolicy = props.networkPolicy ?? (podNetworking === PodNetworking.VNET ? NetworkPolicyEngine.CALICO : NetworkPolicyEngine.CILIUM);
    checkOneOf(this, 'networkPolicy', networkPolicy, [NetworkPolicyEngine.CILIUM, NetworkPolicyEngine.CALICO, NetworkPolicyEngine.AZURE]);
    if (networkPolicy === NetworkPolicyEngine.CILIUM && podNetworking === PodNetworking.VNET) {
      throw new ConstructValidationError(this, 'networkPolicy', networkPolicy,
        'expected NetworkPolicyEngine.CALICO or NetworkPolicyEngine.AZURE with PodNetworking.VNET: the Cilium data plane needs PodNetworking.OVERLAY.');
    }
    const addressPlan = this.addressPlan(props, podNetworking);
    const createKeyVault = props.keyVaultId === undefined;
    this.checkSubnetCapacity(props.subnet, subnetCidr, podNetworking, [system, workload], createKeyVault);
    this.checkPodCidrCapacity(addressPlan.podCidr, [system, workload]);
    const vaultRanges = props.keyVaultAllowedIpRanges ?? [];
    vaultRanges.forEach((range, i) => {
      const cidr = this.checkPublicRange(`keyVaultAllowedIpRanges[${i}]`, range);
      const reserved = cidr && PRIVATE_RANGES.map((r) => parseCidr(r)!).find((r) => cidrOverlaps(cidr, r));
      if (reserved) {
        throw new ConstructValidationError(this, `keyVaultAllowedIpRanges[${i}]`, range,
          `expected a public address or range: Key Vault refuses private ranges (${reserved.text}) in IP rules; the VNet reaches the vault through its private endpoint.`);
      }
    });
    checkUnique(this, 'keyVaultAllowedIpRanges', vaultRanges, (range) => range);
    checkPattern(this, 'keyVaultPrivateDnsZoneId', props.keyVaultPrivateDnsZoneId,
      /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Network\/privateDnsZones\/privatelink\.vaultcore\.[a-z.]+$/i,
      'the resource id of a "privatelink.vaultcore.azure.net" private DNS zone "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.Network/privateDnsZones/privatelink.vaultcore.azure.net"');
    if (!createKeyVault) {
      for (const prop of ['keyVaultName', 'keyVaultAllowedIpRanges', 'keyVaultPrivateDnsZoneId'] as const) {
        if (props[prop] !== undefined) {
          throw new ConstructValidationError(this, prop, props[prop], 'only used when MeshCluster creates the Key Vault (no keyVaultId given).');
        }
      }
    }

    this.resourceGroupName = props.resourceGroupName;
    this.location = props.location;
    this.subnet = props.subnet;
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location, tags: props.tags };
    this.clientConfig = new DataAzurermClientConfig(this, 'ClientConfig', {});

    // The subnet's NSG. What AKS needs (the Azure load balancer's probes; node-to-node, node-to-pod and
    // pod-to-pod traffic, which the Azure CNI Overlay docs require an NSG to allow), HTTPS to the internal
    // ingress gateway from the layers that call it (ingressGatewayNetwork.allowFrom, called by
    // ApiGovernance.addApi), and an explicit deny of everything else, so that AllowVnetInBound (65000)
    // never opens the nodes (SSH, kubelet, node ports) to the other layers.
    this.networkSecurityGroup = new NetworkSecurityGroup(this, 'NetworkSecurityGroup', { name: `nsg-${name}`, ...placement });
    const nsgName = this.networkSecurityGroup.name;
    const rule = (ruleId: string, description: string,
      config: { priority: number; access: string; protocol: string; sources: string[]; destinations?: string[]; ports: string }) =>
      new NetworkSecurityRule(this, ruleId, {
        name: ruleId,
        resourceGroupName: props.resourceGroupName,
        networkSecurityGroupName: nsgName,
        priority: config.priority,
        direction: 'Inbound',
        access: config.access,
        protocol: config.protocol,
        description,
        ...(config.sources.length === 1 ? { sourceAddressPrefix: config.sources[0] } : { sourceAddressPrefixes: config.sources }),
        sourcePortRange: '*',
        ...(config.destinations && config.destinations.length > 1
          ? { destinationAddressPrefixes: config.destinations }
          : { destinationAddressPrefix: config.destinations?.[0] ?? '*' }),
        destinationPortRange: config.ports,
      });
    const clusterRanges = [props.subnet.addressPrefix, ...(addressPlan.podCidr !== undefined ? [addressPlan.podCidr] : [])];
    this.networkSecurityRules = [
      rule('AllowAzureLoadBalancerInbound', 'Azure load balancer health probes (internal ingress gateway)',
        { priority: 100, access: 'Allow', protocol: '*', sources: ['AzureLoadBalancer'], ports: '*' }),
      rule('AllowClusterInbound', 'Node to node, node to pod and pod to pod traffic (AKS networking requirement)',
        { priority: 110, access: 'Allow', protocol: '*', sources: clusterRanges, destinations: clusterRanges, ports: '*' }),
      rule('DenyInternetInbound', 'Nothing in the compute subnet is reachable from the Internet',
        { priority: 4000, access: 'Deny', protocol: '*', sources: ['Internet'], ports: '*' }),
      rule('DenyAllInbound', 'Nothing else reaches the compute subnet: the other layers only reach the ingress gateway',
        { priority: 4096, access: 'Deny', protocol: '*', sources: ['*'], ports: '*' }),
    ];
    const gatewayDestinations = [this.gatewayPrivateIp ?? props.subnet.addressPrefix];
    const gatewayCallers: string[] = [];
    this.ingressGatewayNetwork = {
      destinationAddressPrefixes: gatewayDestinations,
      port: 443,
      allowFrom: (sourceAddressPrefix: string) => {
        checkRequired(this, 'ingressGatewayNetwork.allowFrom.sourceAddressPrefix', sourceAddressPrefix);
        if (!isUnresolved(sourceAddressPrefix) && !parseCidr(sourceAddressPrefix)) {
          throw new ConstructValidationError(this, 'ingressGatewayNetwork.allowFrom.sourceAddressPrefix', sourceAddressPrefix,
            'expected an IPv4 CIDR block such as "10.0.1.0/24" (the calling layer\'s subnet).');
        }
        if (gatewayCallers.includes(sourceAddressPrefix)) return;
        gatewayCallers.push(sourceAddressPrefix);
        if (gatewayCallers.length > 1) return;
        // Created with the first caller: the list is read at synthesis, so later callers join the same rule.
        const callers = new NetworkSecurityRule(this, 'AllowIngressGatewayHttpsInbound', {
          name: 'AllowIngressGatewayHttpsInbound',
          resourceGroupName: props.resourceGroupName,
          networkSecurityGroupName: nsgName,
          priority: 120,
          direction: 'Inbound',
          access: 'Allow',
          protocol: 'Tcp',
          description: 'HTTPS to the internal Istio ingress gateway from the layers that call it (API Management)',
          sourceAddressPrefixes: Lazy.listValue({ produce: () => gatewayCallers }),
          sourcePortRange: '*',
          destinationAddressPrefix: gatewayDestinations[0],
          destinationPortRange: '443',
        });
        this.networkSecurityRules.push(callers);
      },
    };
    this.subnetNsgAssociation = new SubnetNetworkSecurityGroupAssociation(this, 'SubnetNsgAssociation', {
      subnetId: props.subnet.subnetId,
      networkSecurityGroupId: this.networkSecurityGroup.id,
    });

    const workspaceId = props.logAnalyticsWorkspaceId;
    this.resource = new KubernetesCluster(this, 'Resource', {
      name,
      ...placement,
      dnsPrefix,
      kubernetesVersion: props.kubernetesVersion,
      skuTier: props.skuTier ?? AksSkuTier.STANDARD,
      identity: controlPlaneIdentity
        ? { type: 'UserAssigned', identityIds: [controlPlaneIdentity.resourceId] }
        : { type: 'SystemAssigned' },
      privateClusterEnabled: apiServerAccess.isPrivate,
      privateClusterPublicFqdnEnabled: apiServerAccess.isPrivate ? false : undefined,
      apiServerAccessProfile: apiServerAccess.isPrivate ? undefined : { authorizedIpRanges: apiServerAccess.allowedRanges },
      roleBasedAccessControlEnabled: true,
      azureActiveDirectoryRoleBasedAccessControl: {
        azureRbacEnabled: true,
        tenantId: this.clientConfig.tenantId,
        adminGroupObjectIds: props.adminGroupObjectIds,
      },
      localAccountDisabled: !(props.localAccountsEnabled ?? false),
      oidcIssuerEnabled: props.workloadIdentityEnabled ?? true,
      workloadIdentityEnabled: props.workloadIdentityEnabled ?? true,
      azurePolicyEnabled: props.azurePolicyEnabled ?? true,
      keyVaultSecretsProvider: {
        secretRotationEnabled: true,
        secretRotationInterval: props.secretRotationInterval ?? '2m',
      },
      automaticUpgradeChannel: props.automaticUpgradeChannel ?? AutomaticUpgradeChannel.PATCH,
      nodeOsUpgradeChannel: props.nodeOsUpgradeChannel ?? NodeOsUpgradeChannel.NODE_IMAGE,
      maintenanceWindowAutoUpgrade: window,
      maintenanceWindowNodeOs: window,
      defaultNodePool: {
        name: 'system',
        temporaryNameForRotation: 'systemtmp',
        vmSize: system.vmSize,
        autoScalingEnabled: true,
        minCount: system.minCount,
        maxCount: system.maxCount,
        maxPods: system.maxPods,
        zones: zones.length > 0 ? zones : undefined,
        vnetSubnetId: props.subnet.subnetId,
        nodePublicIpEnabled: false,
        hostEncryptionEnabled: props.hostEncryptionEnabled ?? true,
        // Keeps workloads off the nodes that run CoreDNS, konnectivity and the mesh control plane.
        onlyCriticalAddonsEnabled: true,
        upgradeSettings: { maxSurge: system.maxSurge },
        tags: props.tags,
      },
      networkProfile: {
        networkPlugin: 'azure',
        networkPluginMode: podNetworking === PodNetworking.OVERLAY ? 'overlay' : undefined,
        networkPolicy,
        networkDataPlane: networkPolicy === NetworkPolicyEngine.CILIUM ? 'cilium' : 'azure',
        podCidr: addressPlan.podCidr,
        serviceCidr: addressPlan.serviceCidr,
        dnsServiceIp: addressPlan.dnsServiceIp,
        loadBalancerSku: 'standard',
      },
      serviceMeshProfile: this.istioMode === IstioMode.AKS_ADDON ? {
        mode: 'Istio',
        revisions: [this.revision],
        internalIngressGatewayEnabled: true,
        externalIngressGatewayEnabled: false,
      } : undefined,
      omsAgent: workspaceId !== undefined ? { logAnalyticsWorkspaceId: workspaceId, msiAuthForMonitoringEnabled: true } : undefined,
      dependsOn: [this.subnetNsgAssociation],
    });

    this.workloadNodePool = new KubernetesClusterNodePool(this, 'WorkloadNodePool', {
      name: 'workload',
      temporaryNameForRotation: 'workloadtmp',
      kubernetesClusterId: this.resource.id,
      mode: 'User',
      vmSize: workload.vmSize,
      autoScalingEnabled: true,
      minCount: workload.minCount,
      maxCount: workload.maxCount,
      maxPods: workload.maxPods,
      zones: zones.length > 0 ? zones : undefined,
      vnetSubnetId: props.subnet.subnetId,
      nodePublicIpEnabled: false,
      hostEncryptionEnabled: props.hostEncryptionEnabled ?? true,
      upgradeSettings: { maxSurge: workload.maxSurge },
      tags: props.tags,
    });

    // A BYO subnet: the cluster identity creates the internal load balancer's frontend in it.
    this.subnetRoleAssignment = new RoleAssignment(this, 'SubnetNetworkContributor', {
      scope: props.subnet.subnetId,
      roleDefinitionName: 'Network Contributor',
      principalId: controlPlaneIdentity ? controlPlaneIdentity.principalId! : this.resource.identity.principalId,
      principalType: 'ServicePrincipal',
    });
    if (controlPlaneIdentity) {
      // A user-assigned control plane identity needs the subnet permission, propagated, before AKS creates
      // the cluster (and the add-on's internal load balancer in the subnet).
      this.subnetRoleAssignmentPropagation = waitForRoleAssignments(this, 'SubnetRoleAssignmentPropagation', [this.subnetRoleAssignment]);
      this.resource.dependsOn = [...(this.resource.dependsOn ?? []),
        `${this.subnetRoleAssignment.terraformResourceType}.${this.subnetRoleAssignment.friendlyUniqueId}`,
        `${this.subnetRoleAssignmentPropagation.terraformResourceType}.${this.subnetRoleAssignmentPropagation.friendlyUniqueId}`];
    }

    // Key Vault for the gateway certificate, reached by the secrets provider through a private endpoint.
    if (createKeyVault) {
      const vaultName = props.keyVaultName ?? `kv-mesh-${uniqueSuffix(this, props.resourceGroupName)}`;
      checkAzureName(this, 'keyVaultName', vaultName, {
        min: 3,
        max: 24,
        pattern: /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]*[a-zA-Z0-9]$/,
        description: 'letters, digits and single hyphens; starts with a letter, ends with a letter or digit; globally unique',
      });
      const allowedRanges = props.keyVaultAllowedIpRanges ?? [];
      this.keyVault = new KeyVault(this, 'KeyVault', {
        name: vaultName,
        ...placement,
        tenantId: this.clientConfig.tenantId,
        skuName: 'standard',
        rbacAuthorizationEnabled: true,
        purgeProtectionEnabled: true,
        softDeleteRetentionDays: 90,
        publicNetworkAccessEnabled: allowedRanges.length > 0,
        networkAcls: { defaultAction: 'Deny', bypass: 'AzureServices', ipRules: allowedRanges },
      });
      this.keyVaultId = this.keyVault.id;
      this.keyVaultName = this.keyVault.name;
      let zoneId = props.keyVaultPrivateDnsZoneId;
      if (zoneId === undefined) {
        this.keyVaultPrivateDnsZone = new PrivateDnsZone(this, 'KeyVaultPrivateDnsZone', {
          name: 'privatelink.vaultcore.azure.net',
          resourceGroupName: props.resourceGroupName,
          tags: props.tags,
        });
        this.keyVaultPrivateDnsZoneLink = new PrivateDnsZoneVirtualNetworkLink(this, 'KeyVaultPrivateDnsZoneLink', {
          name: `link-${name}-vault`,
          resourceGroupName: props.resourceGroupName,
          privateDnsZoneName: this.keyVaultPrivateDnsZone.name,
          virtualNetworkId: props.subnet.virtualNetworkId,
          registrationEnabled: false,
          tags: props.tags,
        });
        zoneId = this.keyVaultPrivateDnsZone.id;
      }
      this.keyVaultPrivateEndpoint = new PrivateEndpoint(this, 'KeyVaultPrivateEndpoint', {
        name: `pe-${vaultName}`,
        ...placement,
        subnetId: props.subnet.subnetId,
        privateServiceConnection: {
          name: `psc-${vaultName}`,
          privateConnectionResourceId: this.keyVault.id,
          subresourceNames: ['vault'],
          isManualConnection: false,
        },
        privateDnsZoneGroup: { name: 'vault', privateDnsZoneIds: [zoneId] },
      });
      if (workspaceId !== undefined) {
        this.keyVaultDiagnostics = addDiagnostics(this.keyVault, {
          name: 'diag-keyvault', targetResourceId: this.keyVault.id, logAnalyticsWorkspaceId: workspaceId,
        });
      }
    } else {
      this.keyVaultId = props.keyVaultId!;
      this.keyVaultName = this.vaultNameOf(this.keyVaultId);
    }
    this.keyVaultRoleAssignment = new RoleAssignment(this, 'KeyVaultSecretsUser', {
      scope: this.keyVaultId,
      roleDefinitionName: 'Key Vault Secrets User',
      principalId: this.resource.keyVaultSecretsProvider.secretIdentity.get(0).objectId,
      principalType: 'ServicePrincipal',
    });

    // The mesh host domain, resolvable from the whole VNet (API Management included).
    this.privateDnsZone = new PrivateDnsZone(this, 'MeshDnsZone', {
      name: this.hostDomain,
      resourceGroupName: props.resourceGroupName,
      tags: props.tags,
    });
    this.privateDnsZoneLink = new PrivateDnsZoneVirtualNetworkLink(this, 'MeshDnsZoneLink', {
      name: `link-${name}-mesh`,
      resourceGroupName: props.resourceGroupName,
      privateDnsZoneName: this.privateDnsZone.name,
      virtualNetworkId: props.subnet.virtualNetworkId,
      registrationEnabled: false,
      tags: props.tags,
    });

    if (workspaceId !== undefined) {
      this.diagnostics = addDiagnostics(this, {
        name: 'diag-aks', targetResourceId: this.resource.id, logAnalyticsWorkspaceId: workspaceId,
      });
    }
    this.moduleResources = applyModuleInterface(this, props, {
      primary: this.resource,
      resourceName: name,
      readOnlyRefusal: AKS_READ_ONLY,
      ownDiagnosticSettings: workspaceId !== undefined ? [{ name: 'diag-aks', logAnalyticsWorkspaceId: workspaceId }] : [],
    });
  }

  /**
   * Connects a second stack to the cluster: configures its `kubernetes` and `helm` providers from the
   * cluster (exec with kubelogin) and creates the mesh-wide resources there (STRICT mTLS, the HTTPS
   * gateway, egress restriction, the gateway's wildcard DNS record). `scope` must be in another
   * TerraformStack than the cluster: `kubernetes_manifest` needs the cluster's API at plan time.
   *
   * The stack also needs an `azurerm` provider (for the DNS record). A cluster is connected once: the
   * mesh-wide resources exist once per cluster, and other stacks' in-cluster constructs take that connection.
   *
   * @example
   * const workloads = new TerraformStack(app, 'workloads');
   * new AzurermProvider(workloads, 'azurerm', { features: [{}] });
   * const mesh = cluster.connect(workloads, 'Mesh', { kubeloginMode: KubeloginMode.WORKLOAD_IDENTITY });
   * new MeshService(workloads, 'Orders', { mesh, image: 'shop.azurecr.io/orders:1.4.2', ports: [MeshPort.http(8080)] });
   */
  public connect(scope: Construct, id: string, options: MeshConnectionOptions = {}): MeshConnection {
    return new MeshConnection(scope, id, { ...options, cluster: this });
  }

  private subnetCidr(subnet: ISubnet): Cidr | undefined {
    const cidr = this.cidr('subnet.addressPrefix', subnet.addressPrefix, '10.0.16.0/20');
    if (!cidr) return undefined;
    const spaces = (subnet.virtualNetworkAddressSpace ?? []).filter((space) => !isUnresolved(space)).map((space) => parseCidr(space));
    if (spaces.length > 0 && spaces.every((space) => space !== undefined && !cidrContains(space, cidr))) {
      throw new ConstructValidationError(this, 'subnet.addressPrefix', subnet.addressPrefix,
        `expected a block inside the VNet's address space (${subnet.virtualNetworkAddressSpace.join(', ')}).`);
    }
    return cidr;
  }

  /** An IPv4 CIDR block written with its network address (Azure and AKS refuse host bits). */
  private cidr(prop: string, text: string, example = '172.16.0.0/16'): Cidr | undefined {
    if (isUnresolved(text)) return undefined;
    const cidr = parseCidr(text);
    if (!cidr) throw new ConstructValidationError(this, prop, text, `expected an IPv4 CIDR block such as "${example}".`);
    const network = `${cidrHost(cidr, 0)}/${cidr.prefixLength}`;
    if (network !== text) {
      throw new ConstructValidationError(this, prop, text, `expected a block written with its network address, "${network}": the address has host bits set.`);
    }
    return cidr;
  }

  private checkAuthorizedRanges(access: ApiServerAccess): void {
    if (access.isPrivate) return;
    if (access.allowedRanges.length === 0) {
      throw new ConstructValidationError(this, 'apiServerAccess', [], 'expected at least one authorized IP range, or ApiServerAccess.privateCluster().');
    }
    access.allowedRanges.forEach((range, i) => this.checkPublicRange(`apiServerAccess.authorizedIpRanges[${i}]`, range, true));
    checkUnique(this, 'apiServerAccess.authorizedIpRanges', access.allowedRanges, (range) => range);
  }

  /** An IPv4 address or CIDR that is not the whole Internet, nor "this network". */
  private checkPublicRange(prop: string, range: string, apiServer = false): Cidr | undefined {
    if (isUnresolved(range)) return undefined;
    const text = typeof range === 'string' && range.includes('/') ? range : `${range}/32`;
    const cidr = parseCidr(text);
    if (!cidr) throw new ConstructValidationError(this, prop, range, 'expected an IPv4 address or CIDR range such as "203.0.113.0/24".');
    if (cidr.prefixLength === 0) throw new ConstructValidationError(this, prop, range, 'expected a range narrower than the whole Internet.');
    // 0.0.0.0/8 is "this network", never a source address; AKS reads exactly "0.0.0.0/32" as "only the
    // cluster's own outbound IP". Scanners read a bare 0.0.0.0 as "anywhere".
    if (cidrOverlaps(cidr, parseCidr('0.0.0.0/8')!) && !(apiServer && range === '0.0.0.0/32')) {
      throw new ConstructValidationError(this, prop, range, apiServer
        ? 'expected a public source address or range, or exactly "0.0.0.0/32" (only the cluster\'s own outbound IP); other 0.0.0.0/8 values are not sources.'
        : 'expected a public source address or range; 0.0.0.0/8 is not one.');
    }
    return cidr;
  }

  private maintenanceWindow(window: MaintenanceWindow) {
    const dayOfWeek = window.dayOfWeek ?? 'Sunday';
    checkOneOf(this, 'maintenanceWindow.dayOfWeek', dayOfWeek, DAYS);
    const startTime = window.startTime ?? '00:00';
    checkPattern(this, 'maintenanceWindow.startTime', startTime, /^([01]\d|2[0-3]):[0-5]\d$/, 'a time "HH:MM"');
    const duration = window.durationHours ?? 4;
    // AKS refuses windows shorter than 4 hours.
    checkInteger(this, 'maintenanceWindow.durationHours', duration, 4, 24);
    const utcOffset = window.utcOffset ?? '+00:00';
    checkPattern(this, 'maintenanceWindow.utcOffset', utcOffset, /^[+-](0\d|1[0-4]):[0-5]\d$/, 'an offset "+HH:MM" or "-HH:MM"');
    return { frequency: 'Weekly', interval: 1, dayOfWeek, startTime, duration, utcOffset };
  }

  private nodePool(prop: string, options: NodePoolOptions, defaultMax: number, isSystem: boolean): Required<NodePoolOptions> {
    const pool: Required<NodePoolOptions> = {
      vmSize: options.vmSize ?? 'Standard_D4ds_v5',
      minCount: options.minCount ?? 2,
      maxCount: options.maxCount ?? Math.max(defaultMax, options.minCount ?? 2),
      maxPods: options.maxPods ?? 110,
      maxSurge: options.maxSurge ?? '10%',
    };
    if (!isUnresolved(pool.vmSize)) {
      const size = /^Standard_([A-Za-z]+?)(\d+)/.exec(pool.vmSize);
      if (!size) throw new ConstructValidationError(this, `${prop}.vmSize`, pool.vmSize, 'expected an Azure VM size such as "Standard_D4ds_v5".');
      // AKS needs 2 vCPUs per node at least; system pools on burstable B-series starve the add-ons.
      if (Number(size[2]) < 2) {
        throw new ConstructValidationError(this, `${prop}.vmSize`, pool.vmSize, 'expected a VM size with at least 2 vCPUs (AKS minimum).');
      }
      if (isSystem && /^B/i.test(size[1])) {
        throw new ConstructValidationError(this, `${prop}.vmSize`, pool.vmSize,
          'expected a non-burstable VM size for the system pool: B-series cannot sustain CoreDNS, konnectivity and the mesh control plane.');
      }
    }
    if (isSystem) {
      // Two nodes so that the critical add-ons' PodDisruptionBudgets allow a node to drain.
      checkInteger(this, `${prop}.minCount`, pool.minCount, 2, 1000);
    } else {
      checkInteger(this, `${prop}.minCount`, pool.minCount, 0, 1000);
    }
    checkInteger(this, `${prop}.maxCount`, pool.maxCount, 1, 1000);
    if (!isUnresolved(pool.minCount) && !isUnresolved(pool.maxCount) && pool.maxCount < pool.minCount) {
      throw new ConstructValidationError(this, `${prop}.maxCount`, pool.maxCount, `expected at least minCount (${pool.minCount}).`);
    }
    // Below 50 pods per node the system add-ons and the mesh leave no room (and scanners flag it).
    checkInteger(this, `${prop}.maxPods`, pool.maxPods, 50, 250);
    checkPattern(this, `${prop}.maxSurge`, pool.maxSurge, /^([1-9]\d?%|100%|[1-9]\d*)$/, 'a percentage "1%"-"100%" or a node count such as "1"');
    return pool;
  }

  private addressPlan(props: MeshClusterProps, podNetworking: PodNetworking) {
    const overlay = podNetworking === PodNetworking.OVERLAY;
    if (!overlay && props.podCidr !== undefined) {
      throw new ConstructValidationError(this, 'podCidr', props.podCidr, 'only used with PodNetworking.OVERLAY; flat Azure CNI gives pods addresses of the subnet.');
    }
    const serviceCidrText = props.serviceCidr ?? '172.16.0.0/16';
    const podCidrText = overlay ? props.podCidr ?? '192.168.0.0/16' : undefined;
    const serviceCidr = this.cidr('serviceCidr', serviceCidrText);
    // kube-apiserver refuses service ranges larger than /12; below /30 no address is left for the DNS service.
    if (serviceCidr && (serviceCidr.prefixLength < 12 || serviceCidr.prefixLength > 30)) {
      throw new ConstructValidationError(this, 'serviceCidr', serviceCidrText,
        'expected a block from /12 (the largest service range Kubernetes accepts) to /30, such as "172.16.0.0/16".');
    }
    // AKS's own choice: the tenth address of the service CIDR, so that a given serviceCidr needs no dnsServiceIp.
    const dnsServiceIp = props.dnsServiceIp ?? (serviceCidr ? cidrHost(serviceCidr, Math.min(10, cidrSize(serviceCidr) - 2))
      : Fn.cidrhost(serviceCidrText, 10));
    const podCidr = podCidrText !== undefined ? this.cidr('podCidr', podCidrText) : undefined;
    const vnetSpaces = (props.subnet.virtualNetworkAddressSpace ?? [])
      .filter((space) => !isUnresolved(space))
      .map((space, i) => this.cidr(`subnet.virtualNetworkAddressSpace[${i}]`, space)!);
    const checks: Array<[string, Cidr | undefined]> = [['serviceCidr', serviceCidr], ['podCidr', podCidr]];
    for (const [prop, cidr] of checks) {
      if (!cidr) continue;
      for (const space of vnetSpaces) {
        if (cidrOverlaps(cidr, space)) {
          throw new ConstructValidationError(this, prop, cidr.text, `expected a block that does not overlap the VNet's address space ${space.text}.`);
        }
      }
      for (const reserved of AKS_RESERVED_RANGES.map((r) => parseCidr(r)!)) {
        if (cidrOverlaps(cidr, reserved)) {
          throw new ConstructValidationError(this, prop, cidr.text, `expected a block outside ${reserved.text}, which AKS reserves.`);
        }
      }
    }
    if (serviceCidr && podCidr && cidrOverlaps(serviceCidr, podCidr)) {
      throw new ConstructValidationError(this, 'podCidr', podCidr.text, `expected a block that does not overlap 'serviceCidr' (${serviceCidr.text}).`);
    }
    if (serviceCidr && !isUnresolved(dnsServiceIp)) {
      const first = cidrHost(serviceCidr, 0);
      const apiServer = cidrHost(serviceCidr, 1);
      const last = cidrHost(serviceCidr, cidrSize(serviceCidr) - 1);
      if (!cidrHasAddress(serviceCidr, dnsServiceIp) || [first, apiServer, last].includes(dnsServiceIp)) {
        throw new ConstructValidationError(this, 'dnsServiceIp', dnsServiceIp,
          `expected an address inside 'serviceCidr' (${serviceCidr.text}) other than its network address, ${apiServer} (the kubernetes service) and its last address.`);
      }
    }
    return { serviceCidr: serviceCidrText, podCidr: podCidrText, dnsServiceIp };
  }

  /**
   * Enough addresses in the subnet for every node at full scale plus surge, every pod when pods take
   * subnet addresses, the gateway's internal load balancer and the Key Vault's private endpoint.
   */
  private checkSubnetCapacity(subnet: ISubnet, cidr: Cidr | undefined, podNetworking: PodNetworking,
    pools: Array<Required<NodePoolOptions>>, keyVaultEndpoint: boolean): void {
    if (!cidr) return;
    if (pools.some((p) => isUnresolved(p.maxCount) || isUnresolved(p.maxPods) || isUnresolved(p.maxSurge))) return;
    let needed = 1 + (keyVaultEndpoint ? 1 : 0);
    const parts: string[] = [];
    for (const pool of pools) {
      const surge = this.surgeOf(pool);
      const nodes = pool.maxCount + surge;
      // Flat Azure CNI reserves max pods addresses on every node up front.
      const addressesPerNode = 1 + (podNetworking === PodNetworking.VNET ? pool.maxPods : 0);
      needed += nodes * addressesPerNode;
      parts.push(`${pool.maxCount}+${surge} nodes x ${addressesPerNode}`);
    }
    const usable = cidrSize(cidr) - AZURE_RESERVED_ADDRESSES;
    if (needed > usable) {
      throw new ConstructValidationError(this, 'subnet', subnet.addressPrefix,
        `expected a subnet with at least ${needed} usable addresses (${parts.join(' + ')}, the gateway's load balancer`
        + `${keyVaultEndpoint ? ', the Key Vault endpoint' : ''}); this one has ${usable}. Use a larger subnet, fewer nodes`
        + `${podNetworking === PodNetworking.VNET ? ', fewer max pods or PodNetworking.OVERLAY' : ''}.`);
    }
  }

  /** Overlay gives every node a /24 of the pod CIDR. */
  private checkPodCidrCapacity(podCidrText: string | undefined, pools: Array<Required<NodePoolOptions>>): void {
    if (podCidrText === undefined || isUnresolved(podCidrText)) return;
    if (pools.some((p) => isUnresolved(p.maxCount) || isUnresolved(p.maxSurge))) return;
    const cidr = parseCidr(podCidrText)!;
    const nodes = pools.reduce((sum, pool) => sum + pool.maxCount + this.surgeOf(pool), 0);
    const blocks = cidr.prefixLength > 24 ? 0 : 2 ** (24 - cidr.prefixLength);
    if (blocks < nodes) {
      throw new ConstructValidationError(this, 'podCidr', podCidrText,
        `expected a block holding a /24 for each of the ${nodes} nodes at full scale and surge; this one holds ${blocks}. Use a larger block such as "192.168.0.0/16".`);
    }
  }

  /** Extra nodes of a pool during an upgrade. */
  private surgeOf(pool: Required<NodePoolOptions>): number {
    return pool.maxSurge.endsWith('%') ? Math.ceil((pool.maxCount * Number(pool.maxSurge.slice(0, -1))) / 100) : Number(pool.maxSurge);
  }

  private checkGatewayIp(cidr: Cidr | undefined, ip: string | undefined): void {
    if (ip === undefined || isUnresolved(ip) || !cidr) return;
    // Azure keeps the first four addresses and the last one of every subnet.
    const reserved = [0, 1, 2, 3, cidrSize(cidr) - 1].map((n) => cidrHost(cidr, n));
    if (!cidrHasAddress(cidr, ip) || reserved.includes(ip)) {
      throw new ConstructValidationError(this, 'istio.gatewayPrivateIp', ip,
        `expected an address inside the compute subnet ${cidr.text}, other than the five Azure reserves (${reserved.join(', ')}).`);
    }
  }

  /** The vault name is the last segment of its resource id. */
  private vaultNameOf(keyVaultId: string): string {
    if (isUnresolved(keyVaultId)) return Fn.element(Fn.split('/', keyVaultId), 8);
    const match = /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.KeyVault\/vaults\/([^/]+)$/i.exec(keyVaultId);
    if (!match) {
      throw new ConstructValidationError(this, 'keyVaultId', keyVaultId,
        'expected a Key Vault resource id "/subscriptions/<id>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>".');
    }
    return match[1];
  }
}
