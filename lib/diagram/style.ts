import { TopologyEdgeKind, TopologyGroup, TopologyGroupKind, TopologyNodeKind } from './model';

// Colours and captions shared by the SVG and draw.io renderers.

export interface NodeStyle {
  /** Caption above the name. */
  readonly caption: string;
  /** Accent: the stripe, the caption and the border. */
  readonly accent: string;
  /** Fill of the box. */
  readonly fill: string;
}

export const NODE_STYLES: Record<TopologyNodeKind, NodeStyle> = {
  [TopologyNodeKind.CLIENT]: { caption: 'Client', accent: '#4a5563', fill: '#ffffff' },
  [TopologyNodeKind.APPLICATION_GATEWAY]: { caption: 'Application Gateway + WAF', accent: '#0f6cbd', fill: '#ffffff' },
  [TopologyNodeKind.WAF_POLICY]: { caption: 'WAF policy', accent: '#c4314b', fill: '#ffffff' },
  [TopologyNodeKind.API_MANAGEMENT]: { caption: 'API Management', accent: '#6b3fa0', fill: '#ffffff' },
  [TopologyNodeKind.INGRESS_GATEWAY]: { caption: 'Istio ingress gateway', accent: '#466bb0', fill: '#ffffff' },
  [TopologyNodeKind.SERVICE]: { caption: 'Service', accent: '#107c41', fill: '#ffffff' },
  [TopologyNodeKind.PEER]: { caption: 'Caller not in this app', accent: '#7a7574', fill: '#fafafa' },
  [TopologyNodeKind.LOG_ANALYTICS]: { caption: 'Log Analytics', accent: '#8a5a00', fill: '#ffffff' },
  [TopologyNodeKind.APPLICATION_INSIGHTS]: { caption: 'Application Insights', accent: '#8a3ffc', fill: '#ffffff' },
  [TopologyNodeKind.KEY_VAULT]: { caption: 'Key Vault', accent: '#986f0b', fill: '#ffffff' },
  [TopologyNodeKind.MONITOR_WORKSPACE]: { caption: 'Managed Prometheus', accent: '#c2410c', fill: '#ffffff' },
  [TopologyNodeKind.ACTION_GROUP]: { caption: 'Action group (alerts)', accent: '#b91c1c', fill: '#ffffff' },
  [TopologyNodeKind.GRAFANA]: { caption: 'Managed Grafana', accent: '#e8590c', fill: '#ffffff' },
};

export interface GroupStyle {
  readonly caption: string;
  readonly fill: string;
  readonly stroke: string;
  /** SVG dash array; empty for a solid line. */
  readonly dash: string;
  readonly text: string;
}

const LAYER_FILLS: Record<string, [string, string]> = {
  presentation: ['#e7f1fb', '#0f6cbd'],
  api: ['#f1ebf8', '#6b3fa0'],
  compute: ['#e8f4ec', '#107c41'],
};

export function groupStyle(group: TopologyGroup): GroupStyle {
  switch (group.kind) {
    case TopologyGroupKind.NETWORK:
      return { caption: 'Virtual network', fill: '#f7f9fc', stroke: '#0f6cbd', dash: '', text: '#0b3a66' };
    case TopologyGroupKind.LAYER: {
      const [fill, text] = LAYER_FILLS[group.id.replace(/^.*#layer\//, '')] ?? ['#f3f3f3', '#333333'];
      return { caption: '', fill, stroke: fill, dash: '', text };
    }
    case TopologyGroupKind.SUBNET:
      return { caption: 'Subnet', fill: '#ffffff', stroke: '#6b7f99', dash: '6 3', text: '#243447' };
    case TopologyGroupKind.CLUSTER:
      return { caption: 'AKS cluster', fill: '#eef3fc', stroke: '#326ce5', dash: '', text: '#1d3f8a' };
    case TopologyGroupKind.NAMESPACE:
      return { caption: 'Namespace', fill: '#ffffff', stroke: '#8da4c8', dash: '4 3', text: '#2a4675' };
    case TopologyGroupKind.OBSERVABILITY:
      return { caption: '', fill: '#fff4ec', stroke: '#e8a87c', dash: '', text: '#7c2d12' };
    case TopologyGroupKind.SHARED:
    default:
      return { caption: '', fill: '#f6f6f6', stroke: '#b0b0b0', dash: '', text: '#333333' };
  }
}

export interface EdgeStyle {
  readonly stroke: string;
  readonly width: number;
  readonly dash: string;
  readonly legend: string;
}

export const EDGE_STYLES: Record<TopologyEdgeKind, EdgeStyle> = {
  [TopologyEdgeKind.REQUEST]: { stroke: '#0b5cad', width: 2.6, dash: '', legend: 'Request path: client to services' },
  [TopologyEdgeKind.ALLOWED]: { stroke: '#2e7d32', width: 1.6, dash: '7 4', legend: 'Call allowed by an Istio AuthorizationPolicy' },
};
