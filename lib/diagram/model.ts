// The topology model: what the diagram shows, derived from the Terraform resources of a
// construct tree. Plain data (jsii structs and enums) so renderers and users can read it.

/** What a group box stands for. */
export enum TopologyGroupKind {
  /** An Azure virtual network. */
  NETWORK = 'network',
  /** A layer of the topology: presentation, API or compute. */
  LAYER = 'layer',
  /** A subnet (with its NSG, if associated). */
  SUBNET = 'subnet',
  /** A Kubernetes cluster (AKS). */
  CLUSTER = 'cluster',
  /** A Kubernetes namespace. */
  NAMESPACE = 'namespace',
  /** Shared services outside the request path: monitoring, secrets. */
  SHARED = 'shared',
  /** The observability plane: metrics, alerts, dashboards. */
  OBSERVABILITY = 'observability',
}

/** What a node box stands for. */
export enum TopologyNodeKind {
  /** The caller of the topology, on the Internet. */
  CLIENT = 'client',
  /** An Application Gateway (with its WAF policy, if attached). */
  APPLICATION_GATEWAY = 'application-gateway',
  /** A WAF policy attached to no Application Gateway. */
  WAF_POLICY = 'waf-policy',
  /** An API Management service (with its APIs). */
  API_MANAGEMENT = 'api-management',
  /** An Istio ingress gateway (the pods that Istio `Gateway` resources select). */
  INGRESS_GATEWAY = 'ingress-gateway',
  /** A workload in the mesh (a Kubernetes Deployment). */
  SERVICE = 'service',
  /** A caller named by an Istio policy that no workload of the tree matches. */
  PEER = 'peer',
  /** A Log Analytics workspace. */
  LOG_ANALYTICS = 'log-analytics',
  /** An Application Insights component. */
  APPLICATION_INSIGHTS = 'application-insights',
  /** A Key Vault. */
  KEY_VAULT = 'key-vault',
  /** An Azure Monitor workspace (managed Prometheus) with its rule groups. */
  MONITOR_WORKSPACE = 'monitor-workspace',
  /** An action group: who the alerts notify. */
  ACTION_GROUP = 'action-group',
  /** An Azure Managed Grafana. */
  GRAFANA = 'grafana',
}

/** What an arrow stands for. */
export enum TopologyEdgeKind {
  /** A hop of the request path from the client to the services. */
  REQUEST = 'request',
  /** A call that an Istio ALLOW AuthorizationPolicy permits. */
  ALLOWED = 'allowed',
}

/** A box that holds nodes and other groups. */
export interface TopologyGroup {
  /** Unique and stable id (derived from construct paths and names). */
  readonly id: string;
  /** What the group stands for. */
  readonly kind: TopologyGroupKind;
  /** Its name: the resource's literal name, else the construct id. */
  readonly label: string;
  /** Short facts shown under the label (address prefix, NSG, mTLS mode, ...). */
  readonly details: string[];
  /**
   * Id of the enclosing group.
   * @default - a top-level group
   */
  readonly parentId?: string;
  /**
   * Path of the construct the group was derived from.
   * @default - the group stands for no single construct (a layer, a namespace not managed by Terraform)
   */
  readonly constructPath?: string;
}

/** A box for one component. */
export interface TopologyNode {
  /** Unique and stable id (derived from construct paths and names). */
  readonly id: string;
  /** What the node stands for. */
  readonly kind: TopologyNodeKind;
  /** Its name: the resource's literal name, else the construct id. */
  readonly label: string;
  /** Short facts shown under the label (SKU, hosts, service account, ...). */
  readonly details: string[];
  /**
   * Id of the enclosing group.
   * @default - a top-level node
   */
  readonly groupId?: string;
  /**
   * Path of the construct the node was derived from.
   * @default - the node stands for no single construct (the client, an add-on's gateway)
   */
  readonly constructPath?: string;
}

/** An arrow between two nodes. */
export interface TopologyEdge {
  /** Unique and stable id. */
  readonly id: string;
  /** What the arrow stands for. */
  readonly kind: TopologyEdgeKind;
  /** Id of the node the arrow starts at. */
  readonly sourceId: string;
  /** Id of the node the arrow points to. */
  readonly targetId: string;
  /**
   * Text on the arrow (protocol, permitted operations).
   * @default - no text
   */
  readonly label?: string;
}

/** Everything a topology diagram shows. */
export interface TopologyModel {
  /** A title for the diagram. */
  readonly title: string;
  /** Groups, parents before children. */
  readonly groups: TopologyGroup[];
  /** Nodes, in construct order. */
  readonly nodes: TopologyNode[];
  /** Request edges first (in path order), then allowed edges. */
  readonly edges: TopologyEdge[];
}
