// Choices and option structs of MeshCluster, kept apart so the construct file reads as the build.
import { IstioMode } from '../core/contracts';

/** AKS pricing tier: Standard and Premium carry the uptime SLA; Free has none. */
export enum AksSkuTier {
  /** Uptime SLA, for production. */
  STANDARD = 'Standard',
  /** Standard plus long-term support. */
  PREMIUM = 'Premium',
  /** No SLA: for dev/test only. */
  FREE = 'Free',
}

/** The network policy engine that enforces Kubernetes NetworkPolicy. */
export enum NetworkPolicyEngine {
  /** Azure CNI powered by Cilium (eBPF data plane and policy). */
  CILIUM = 'cilium',
  /** Calico on the Azure data plane. */
  CALICO = 'calico',
  /** Azure Network Policy Manager on the Azure data plane. */
  AZURE = 'azure',
}

/** Where pods take their IP addresses from. */
export enum PodNetworking {
  /** Azure CNI Overlay: pods get addresses from a private pod CIDR, nodes from the subnet. */
  OVERLAY = 'overlay',
  /** Flat Azure CNI: every pod takes an address of the node subnet (sized for max pods per node). */
  VNET = 'vnet',
}

/** How AKS upgrades the Kubernetes version automatically. */
export enum AutomaticUpgradeChannel {
  /** Latest patch of the current minor version. */
  PATCH = 'patch',
  /** Latest patch of minor version N-1. */
  STABLE = 'stable',
  /** Latest supported minor version. */
  RAPID = 'rapid',
  /** Node images only (no Kubernetes version upgrades): an opt-out. */
  NODE_IMAGE = 'node-image',
}

/** How AKS patches the nodes' operating system. */
export enum NodeOsUpgradeChannel {
  /** Weekly node image with OS patches. */
  NODE_IMAGE = 'NodeImage',
  /** OS security patches applied in place. */
  SECURITY_PATCH = 'SecurityPatch',
  /** The OS's own unattended upgrades. */
  UNMANAGED = 'Unmanaged',
  /** No OS patching: an opt-out. */
  NONE = 'None',
}

/**
 * Who can reach the Kubernetes API server. Only a private API server or one restricted to
 * authorized IP ranges is offered: an API server open to the Internet is not.
 */
export class ApiServerAccess {
  /**
   * A private cluster: the API server has a private IP in the VNet and no public FQDN.
   * Terraform runs that manage in-cluster resources must run from a network that reaches it.
   */
  public static privateCluster(): ApiServerAccess {
    return new ApiServerAccess(true, []);
  }

  /**
   * A public API server that only answers the given IPv4 addresses or CIDR ranges (e.g. the CI runners'
   * egress); `"0.0.0.0/32"` alone admits only the cluster's own outbound IP.
   */
  public static authorizedIpRanges(ranges: string[]): ApiServerAccess {
    return new ApiServerAccess(false, [...ranges]);
  }

  private constructor(
    /** True for a private cluster. */
    public readonly isPrivate: boolean,
    /** Authorized ranges of a public API server (empty for a private cluster). */
    public readonly allowedRanges: string[],
  ) {}
}

/** Sizing of a node pool. */
export interface NodePoolOptions {
  /**
   * VM size of the nodes.
   * @default "Standard_D4ds_v5"
   */
  readonly vmSize?: string;
  /**
   * Fewest nodes (the autoscaler's floor).
   * @default 2
   */
  readonly minCount?: number;
  /**
   * Most nodes (the autoscaler's ceiling).
   * @default 3 for the system pool, 10 for the workload pool
   */
  readonly maxCount?: number;
  /**
   * Pods per node (50 to 250).
   * @default 110
   */
  readonly maxPods?: number;
  /**
   * Extra nodes during an upgrade: a percentage (`"10%"`) of the pool or a count (`"1"`).
   * @default "10%"
   */
  readonly maxSurge?: string;
}

/** When AKS may upgrade the cluster and patch its nodes (one weekly window for both). */
export interface MaintenanceWindow {
  /**
   * Day of the week, e.g. `Sunday`.
   * @default "Sunday"
   */
  readonly dayOfWeek?: string;
  /**
   * Start time, `HH:MM`.
   * @default "00:00"
   */
  readonly startTime?: string;
  /**
   * Length in hours (4 to 24).
   * @default 4
   */
  readonly durationHours?: number;
  /**
   * Offset of the start time from UTC, `+HH:MM` or `-HH:MM`.
   * @default "+00:00"
   */
  readonly utcOffset?: string;
}

/** How Istio runs on the cluster. */
export interface IstioOptions {
  /**
   * AKS's managed add-on, or upstream Istio installed with Helm.
   * @default IstioMode.AKS_ADDON
   */
  readonly mode?: IstioMode;
  /**
   * Add-on mode: the add-on revision, `asm-1-NN`. Revisions are short-lived (n-2 is deprecated
   * weeks after n ships): check `az aks mesh get-revisions --location <region>`.
   * @default "asm-1-30"
   */
  readonly revision?: string;
  /**
   * Helm mode: the version of Istio's `base`, `istiod` and `gateway` charts, `1.NN.P` (1.26 or newer).
   * @default "1.30.3"
   */
  readonly chartVersion?: string;
  /**
   * Helm mode: the chart repository (a mirror, for clusters without access to the public one).
   * @default "https://istio-release.storage.googleapis.com/charts"
   */
  readonly chartRepository?: string;
  /**
   * Helm mode: the private IP of the internal ingress gateway's load balancer, pinned. It must lie
   * inside the compute subnet.
   * @default - Azure picks a free address of the subnet
   */
  readonly gatewayPrivateIp?: string;
}
