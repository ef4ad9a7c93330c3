// Interfaces that join the four constructs. Each construct takes its neighbours through
// these, so users can bring their own (an existing APIM, a backend outside the mesh, ...).
//
//   SecureEdge --IEdgeBackend--> ApiGovernance --IApiBackend--> MeshService
//   MeshService --IMesh--> the in-cluster side of MeshCluster
//   MeshService.allowFrom(IMeshPeer)

/** Where a resource lives: the resource group and region every Azure resource needs. */
export interface ResourcePlacement {
  /** Name of an existing resource group. */
  readonly resourceGroupName: string;
  /** Azure region, e.g. `westeurope`. */
  readonly location: string;
}

/** A subnet that a construct deploys into; the construct creates and associates the subnet's NSG. */
export interface ISubnet {
  /** Azure resource id of the subnet. */
  readonly subnetId: string;
  /** The subnet's name. */
  readonly subnetName: string;
  /** The subnet's IPv4 address prefix (CIDR), used for validation and NSG rules. */
  readonly addressPrefix: string;
  /** Azure resource id of the VNet holding the subnet. */
  readonly virtualNetworkId: string;
  /** Name of the VNet holding the subnet. */
  readonly virtualNetworkName: string;
  /** The VNet's address spaces (CIDR). */
  readonly virtualNetworkAddressSpace: string[];
}

/**
 * Where a backend listens inside the VNet, so that the layer calling it opens exactly that path in
 * the backend layer's NSG: `SecureEdge` calls `allowFrom` on its backends' network with the edge
 * subnet, `ApiGovernance.addApi` with the API subnet. Implemented by `ApiGovernance` (its subnet)
 * and by `MeshCluster` (the internal ingress gateway).
 */
export interface IBackendNetwork {
  /** The addresses (IPv4 addresses or CIDR blocks) the backend is reached at inside the VNet. */
  readonly destinationAddressPrefixes: string[];
  /** The TCP port the backend is reached at. */
  readonly port: number;
  /**
   * Allows TCP to `port` on `destinationAddressPrefixes` from `sourceAddressPrefix` (an IPv4 CIDR block)
   * in the backend layer's NSG. Idempotent.
   */
  allowFrom(sourceAddressPrefix: string): void;
}

/**
 * What the edge (Application Gateway) sends traffic to: API Management, or any HTTPS
 * backend reached by host name. Implemented by `ApiGovernance`.
 */
export interface IEdgeBackend {
  /** The host name the backend answers to (sent as Host header and SNI), e.g. `apim-x.azure-api.net`. */
  readonly gatewayHostName: string;
  /** Private IP addresses of the backend inside the VNet (may be tokens). */
  readonly privateIpAddresses: string[];
  /** Path of the health endpoint the edge probes, e.g. `/status-0123456789abcdef` for APIM. */
  readonly healthProbePath: string;
  /**
   * Where the backend listens in the VNet; the edge opens the backend's NSG to its own subnet through it.
   * @default - a backend outside the NSGs the library manages: its NSG is yours to open
   */
  readonly network?: IBackendNetwork;
}

/**
 * Something API Management can route an API to over HTTPS. Implemented by `MeshService`
 * (through the Istio internal ingress gateway); `ApiBackend.fromUrl()` wraps any URL.
 */
export interface IApiBackend {
  /** Base URL, `https://host[:port][/path]`. */
  readonly backendUrl: string;
  /** Host name APIM sends as Host header and SNI, and validates the certificate against. */
  readonly backendHostName: string;
  /**
   * Where the backend listens in the VNet; `ApiGovernance.addApi` opens the backend's NSG to the API subnet through it.
   * @default - a backend outside the NSGs the library manages: its NSG is yours to open
   */
  readonly network?: IBackendNetwork;
}

/** A caller in the mesh, named by its SPIFFE principal. Implemented by `MeshService` and by `MeshPeer`. */
export interface IMeshPeer {
  /** `cluster.local/ns/<namespace>/sa/<service account>` */
  readonly principal: string;
  /** A short name for ids and diagrams, e.g. `orders` or `ingress-gateway`. */
  readonly peerName: string;
  /**
   * Labels selecting the peer's pods in its namespace (the namespace is the principal's), for the
   * NetworkPolicy that `MeshService.allowFrom` writes beside the AuthorizationPolicy.
   * @default - every pod of the principal's namespace
   */
  readonly podLabels?: { [key: string]: string };
}

/** The way Istio is installed on the cluster. */
export enum IstioMode {
  /** AKS's managed Istio add-on (`service_mesh_profile`). */
  AKS_ADDON = 'aks-addon',
  /** Upstream Istio installed with its Helm charts (`base`, `istiod`, `gateway`). */
  HELM = 'helm',
}

/**
 * The facts about a cluster's mesh that in-cluster constructs need. Both Istio modes
 * expose the same facts. Implemented by the in-cluster side of `MeshCluster`.
 */
export interface IMesh {
  /** How Istio is installed. */
  readonly istioMode: IstioMode;
  /** Istio revision: `asm-1-26` for the add-on, the chart version (e.g. `1.26.8`) for Helm. */
  readonly revision: string;
  /** Istio's root namespace, where mesh-wide policies live (`aks-istio-system` or `istio-system`). */
  readonly rootNamespace: string;
  /** Namespace of the internal ingress gateway (`aks-istio-ingress` or `istio-ingress`). */
  readonly ingressGatewayNamespace: string;
  /** Pod labels selecting the internal ingress gateway. */
  readonly ingressGatewaySelector: { [key: string]: string };
  /** The ingress gateway as a caller, for `MeshService.allowFrom`. */
  readonly ingressGatewayPeer: IMeshPeer;
  /**
   * Where the internal ingress gateway listens in the VNet (what API Management opens the compute NSG through).
   * @default - unknown: services of this mesh open no NSG path by themselves
   */
  readonly ingressGatewayNetwork?: IBackendNetwork;
  /** `<namespace>/<name>` of the Istio Gateway resource that VirtualServices bind to. */
  readonly gatewayRef: string;
  /** DNS domain under which services are exposed through the gateway, e.g. `mesh.internal`. */
  readonly hostDomain: string;
  /** Labels a namespace needs so its pods get sidecars (`istio.io/rev=asm-1-26` or `istio-injection=enabled`). */
  readonly injectionLabels: { [key: string]: string };
}
