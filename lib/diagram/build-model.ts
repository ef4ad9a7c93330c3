import { IConstruct } from 'constructs';
import {
  TopologyEdge, TopologyEdgeKind, TopologyGroup, TopologyGroupKind, TopologyModel, TopologyNode, TopologyNodeKind,
} from './model';
import { ResourceRecord, TerraformView, first, list } from './terraform-view';
import { TerraformStack } from '../core/cdktf';

// Derives the topology from the Terraform resources of a construct tree, whoever created them
// (this library's constructs or users' own resources): placement from `subnet_id` references,
// the request path from host names and references, allowed calls from Istio ALLOW policies.

const LAYERS: Array<[string, string]> = [['presentation', 'Presentation layer'], ['api', 'API layer'], ['compute', 'Compute layer']];
const DEPLOYMENT_TYPES = ['kubernetes_deployment_v1', 'kubernetes_deployment'];
const NAMESPACE_TYPES = ['kubernetes_namespace_v1', 'kubernetes_namespace'];
const SERVICE_TYPES = ['kubernetes_service_v1', 'kubernetes_service'];
const ROOT_NAMESPACES = ['aks-istio-system', 'istio-system'];
const MAX_APIS_SHOWN = 4;

interface MutableGroup {
  id: string;
  kind: TopologyGroupKind;
  label: string;
  details: string[];
  parentId?: string;
  constructPath?: string;
}

interface MutableNode {
  id: string;
  kind: TopologyNodeKind;
  label: string;
  details: string[];
  groupId?: string;
  constructPath?: string;
}

interface MutableEdge {
  id: string;
  kind: TopologyEdgeKind;
  sourceId: string;
  targetId: string;
  labels: string[];
}

/** A Kubernetes cluster as the diagram knows it: an AKS resource, or a stand-in for an unknown one. */
interface Cluster {
  readonly groupId: string;
  readonly record?: ResourceRecord;
}

interface Workload {
  readonly node: MutableNode;
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly name: string;
  readonly podLabels: Record<string, string>;
  readonly serviceAccount: string;
}

interface IngressGateway {
  readonly node: MutableNode;
  readonly cluster: Cluster;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  /** Host patterns it serves (Gateway servers and bound VirtualServices). */
  readonly hosts: string[];
}

/**
 * Builds the topology model of every Terraform resource under `scope` (usually the App).
 * Call it after all constructs are added (after `app.synth()` in a main program).
 *
 * @jsii ignore
 */
export function buildTopologyModel(scope: IConstruct): TopologyModel {
  return new ModelBuilder(scope).build();
}

class ModelBuilder {
  private readonly view: TerraformView;
  private readonly groups = new Map<string, MutableGroup>();
  private readonly nodes = new Map<string, MutableNode>();
  private readonly edges = new Map<string, MutableEdge>();
  private readonly subnetGroups = new Map<ResourceRecord, string>();
  private readonly clusters = new Map<string, Cluster>();
  private readonly workloads: Workload[] = [];
  private readonly gateways: IngressGateway[] = [];
  private readonly gatewayRefs = new Map<string, IngressGateway>();
  private virtualServices: Array<{ record: ResourceRecord; manifest: any }> = [];
  private authorizationPolicies: Array<{ record: ResourceRecord; manifest: any }> = [];

  constructor(private readonly scope: IConstruct) {
    this.view = new TerraformView(scope);
  }

  public build(): TopologyModel {
    const gatewayRecords = this.view.ofType('azurerm_application_gateway');
    const apimRecords = this.view.ofType('azurerm_api_management');
    const aksRecords = this.view.ofType('azurerm_kubernetes_cluster');

    this.placeNetworks(gatewayRecords, apimRecords, aksRecords);
    const client = this.addClient(gatewayRecords, apimRecords);
    const appGateways = gatewayRecords.map((r) => this.addApplicationGateway(r));
    this.addStandaloneWafPolicies(gatewayRecords);
    const apims = apimRecords.map((r) => this.addApiManagement(r));
    aksRecords.forEach((r) => this.cluster(r));
    this.addMesh();
    this.addSharedServices();
    this.addObservability();

    // The request path, hop by hop.
    if (client) {
      for (const [record, node] of appGateways) {
        const https = list(record.config.http_listener).some((l) => /^https$/i.test(String(l.protocol)));
        this.addEdge(TopologyEdgeKind.REQUEST, client.id, node.id, https ? 'HTTPS' : 'HTTP');
      }
      if (appGateways.length === 0) {
        for (const [record, node] of apims) {
          if (this.view.literal(record.stack, record.config.virtual_network_type) !== 'Internal') {
            this.addEdge(TopologyEdgeKind.REQUEST, client.id, node.id, 'HTTPS');
          }
        }
      }
    }
    for (const [record, node] of appGateways) {
      for (const [, apimNode] of this.apimBehind(record, apims)) {
        this.addEdge(TopologyEdgeKind.REQUEST, node.id, apimNode.id, 'HTTPS');
      }
    }
    for (const [record, node] of apims) {
      for (const gateway of this.gatewaysBehind(record)) {
        this.addEdge(TopologyEdgeKind.REQUEST, node.id, gateway.node.id, 'HTTPS');
      }
    }
    this.addRoutes();
    this.addAllowedEdges();

    return {
      title: `Topology of ${this.scope.node.findAll().filter((c) => TerraformStack.isStack(c)).map((s) => s.node.id).join(' + ') || this.scope.node.id || 'app'}`,
      groups: [...this.groups.values()].map(freezeGroup),
      nodes: [...this.nodes.values()].map(freezeNode),
      edges: [...this.edges.values()].map(freezeEdge),
    };
  }

  // ---------------------------------------------------------------- network

  /** VNets, the layers inside them and their subnets (with NSGs). */
  private placeNetworks(gateways: ResourceRecord[], apims: ResourceRecord[], clusters: ResourceRecord[]): void {
    const vnets = this.view.ofType('azurerm_virtual_network');
    const subnets = this.view.ofType('azurerm_subnet');
    const layerOf = new Map<ResourceRecord, string>();
    const mark = (records: ResourceRecord[], layer: string, block: (r: ResourceRecord) => unknown) => {
      for (const record of records) {
        for (const subnet of this.view.referencedOfType(record.stack, block(record), 'azurerm_subnet')) {
          if (!layerOf.has(subnet)) layerOf.set(subnet, layer);
        }
      }
    };
    mark(gateways, 'presentation', (r) => r.config.gateway_ip_configuration);
    mark(apims, 'api', (r) => r.config.virtual_network_configuration);
    mark(clusters, 'compute', (r) => r.config.default_node_pool);

    const nsgOf = new Map<ResourceRecord, string>();
    for (const association of this.view.ofType('azurerm_subnet_network_security_group_association')) {
      const subnet = this.view.referencedOfType(association.stack, association.config.subnet_id, 'azurerm_subnet')[0];
      const nsg = this.view.referencedOfType(association.stack, association.config.network_security_group_id, 'azurerm_network_security_group')[0];
      if (subnet) nsgOf.set(subnet, nsg ? this.name(nsg) : 'associated');
    }

    const vnetOf = (subnet: ResourceRecord): ResourceRecord | undefined => {
      const referenced = this.view.referencedOfType(subnet.stack, subnet.config.virtual_network_name, 'azurerm_virtual_network')[0];
      if (referenced) return referenced;
      const name = this.view.literal(subnet.stack, subnet.config.virtual_network_name);
      return name === undefined ? undefined : vnets.find((v) => this.view.literal(v.stack, v.config.name) === name);
    };

    const placeSubnet = (subnet: ResourceRecord, parentId: string | undefined) => {
      const prefixes = list(subnet.config.address_prefixes).map((p) => this.view.literal(subnet.stack, p)).filter(isString);
      const nsg = nsgOf.get(subnet);
      const group = this.addGroup({
        id: subnet.path,
        kind: TopologyGroupKind.SUBNET,
        label: this.name(subnet),
        details: [...(prefixes.length > 0 ? [prefixes.join(', ')] : []), nsg ? `NSG ${nsg}` : 'no NSG'],
        parentId,
        constructPath: subnet.path,
      });
      this.subnetGroups.set(subnet, group.id);
    };

    const placeIn = (vnetId: string | undefined, members: ResourceRecord[]) => {
      for (const [layer, title] of LAYERS) {
        const inLayer = members.filter((s) => layerOf.get(s) === layer);
        if (inLayer.length === 0) continue;
        const layerGroup = this.layerGroup(vnetId, layer, title);
        inLayer.forEach((s) => placeSubnet(s, layerGroup.id));
      }
      members.filter((s) => !layerOf.has(s)).forEach((s) => placeSubnet(s, vnetId));
    };

    for (const vnet of vnets) {
      const spaces = list(vnet.config.address_space).map((p) => this.view.literal(vnet.stack, p)).filter(isString);
      this.addGroup({
        id: vnet.path,
        kind: TopologyGroupKind.NETWORK,
        label: this.name(vnet),
        details: spaces.length > 0 ? [spaces.join(', ')] : [],
        constructPath: vnet.path,
      });
      placeIn(vnet.path, subnets.filter((s) => vnetOf(s) === vnet));
    }
    placeIn(undefined, subnets.filter((s) => vnetOf(s) === undefined));
  }

  private layerGroup(vnetId: string | undefined, layer: string, title: string): MutableGroup {
    return this.addGroup({
      id: `${vnetId ?? ''}#layer/${layer}`,
      kind: TopologyGroupKind.LAYER,
      label: title,
      details: [],
      parentId: vnetId,
    });
  }

  /** The group a resource lives in: its subnet's, else its layer outside any VNet. */
  private placement(record: ResourceRecord, block: unknown, layer: string): string {
    const subnet = this.view.referencedOfType(record.stack, block, 'azurerm_subnet')[0];
    const group = subnet ? this.subnetGroups.get(subnet) : undefined;
    if (group) return group;
    const [, title] = LAYERS.find(([l]) => l === layer)!;
    return this.layerGroup(undefined, layer, title).id;
  }

  // ---------------------------------------------------------------- edge and API

  private addClient(gateways: ResourceRecord[], apims: ResourceRecord[]): MutableNode | undefined {
    const publicApims = apims.filter((r) => this.view.literal(r.stack, r.config.virtual_network_type) !== 'Internal');
    if (gateways.length === 0 && publicApims.length === 0) return undefined;
    return this.addNode({ id: 'client', kind: TopologyNodeKind.CLIENT, label: 'Client', details: ['Internet'] });
  }

  private addApplicationGateway(record: ResourceRecord): [ResourceRecord, MutableNode] {
    const c = record.config;
    const sku = this.view.literal(record.stack, first(c.sku)?.name);
    const zones = list(c.zones).map((z) => this.view.literal(record.stack, z)).filter(isString);
    const details = [[sku, zones.length > 0 ? `zones ${zones.join(' ')}` : undefined].filter(isString).join(' · ')];
    const policy = this.view.referencedOfType(record.stack, c.firewall_policy_id, 'azurerm_web_application_firewall_policy')[0];
    if (policy) {
      const mode = this.view.literal(policy.stack, first(policy.config.policy_settings)?.mode);
      details.push(`WAF ${this.name(policy)}${mode ? ` · ${mode}` : ''}`);
    } else if (first(c.waf_configuration)) {
      details.push(`WAF ${this.view.literal(record.stack, first(c.waf_configuration).firewall_mode) ?? 'configured'}`);
    } else {
      details.push('no WAF policy');
    }
    const node = this.addNode({
      id: record.path,
      kind: TopologyNodeKind.APPLICATION_GATEWAY,
      label: this.name(record),
      details: details.filter((d) => d !== ''),
      groupId: this.placement(record, c.gateway_ip_configuration, 'presentation'),
      constructPath: record.path,
    });
    return [record, node];
  }

  private addStandaloneWafPolicies(gateways: ResourceRecord[]): void {
    const attached = new Set(gateways.flatMap((g) => this.view.referencedOfType(g.stack, g.config.firewall_policy_id, 'azurerm_web_application_firewall_policy')));
    for (const policy of this.view.ofType('azurerm_web_application_firewall_policy')) {
      if (attached.has(policy)) continue;
      const mode = this.view.literal(policy.stack, first(policy.config.policy_settings)?.mode);
      this.addNode({
        id: policy.path,
        kind: TopologyNodeKind.WAF_POLICY,
        label: this.name(policy),
        details: [mode ? `${mode} · not attached` : 'not attached'],
        constructPath: policy.path,
      });
    }
  }

  private apisOf(apim: ResourceRecord, type: string): ResourceRecord[] {
    const name = this.view.literal(apim.stack, apim.config.name);
    return this.view.ofType(type).filter((api) =>
      this.view.referencedOfType(api.stack, api.config.api_management_name, 'azurerm_api_management').includes(apim)
      || this.view.referencedOfType(api.stack, api.config.api_management_id, 'azurerm_api_management').includes(apim)
      || (name !== undefined && this.view.literal(api.stack, api.config.api_management_name) === name)
      // Another app's or stack's import of the service by name: a name Terraform computes (a unique suffix)
      // is computed by the same expression on both sides.
      || (typeof apim.config.name === 'string' && api.stack !== apim.stack && api.config.api_management_name === apim.config.name));
  }

  private addApiManagement(record: ResourceRecord): [ResourceRecord, MutableNode] {
    const c = record.config;
    const sku = this.view.literal(record.stack, c.sku_name);
    const mode = this.view.literal(record.stack, c.virtual_network_type) ?? 'None';
    const details = [[sku, mode === 'None' ? 'no VNet' : `${mode} VNet`].filter(isString).join(' · ')];
    const apis = this.apisOf(record, 'azurerm_api_management_api').map((api) => {
      const a = api.config;
      const name = this.view.literal(api.stack, a.display_name) ?? this.name(api);
      const version = this.view.literal(api.stack, a.version);
      const path = this.view.literal(api.stack, a.path);
      return `API ${name}${version ? ` ${version}` : ''}${path !== undefined ? ` /${path}` : ''}`;
    });
    const unique = [...new Set(apis)];
    details.push(...unique.slice(0, MAX_APIS_SHOWN));
    if (unique.length > MAX_APIS_SHOWN) details.push(`+${unique.length - MAX_APIS_SHOWN} more APIs`);
    const node = this.addNode({
      id: record.path,
      kind: TopologyNodeKind.API_MANAGEMENT,
      label: this.name(record),
      details,
      groupId: this.placement(record, c.virtual_network_configuration, 'api'),
      constructPath: record.path,
    });
    return [record, node];
  }

  /** The API Management services an Application Gateway forwards to. */
  private apimBehind(gateway: ResourceRecord, apims: Array<[ResourceRecord, MutableNode]>): Array<[ResourceRecord, MutableNode]> {
    const c = gateway.config;
    const backendValues = [c.backend_address_pool, c.backend_http_settings, c.probe];
    const referenced = this.view.referencedOfType(gateway.stack, backendValues, 'azurerm_api_management');
    const byReference = apims.filter(([r]) => referenced.includes(r));
    if (byReference.length > 0) return byReference;
    const hosts = new Set<string>();
    let unknown = false;
    for (const pool of list(c.backend_address_pool)) {
      for (const value of [...list(pool.fqdns), ...list(pool.ip_addresses)]) {
        const literal = this.view.literal(gateway.stack, value);
        if (literal === undefined) unknown = true;
        else hosts.add(literal.toLowerCase());
      }
    }
    const byHost = apims.filter(([r]) => this.apimHostNames(r).some((h) => hosts.has(h)));
    if (byHost.length > 0) return byHost;
    // A backend whose address is only known at deploy time: the one API Management there is.
    return unknown && apims.length === 1 ? apims : [];
  }

  private apimHostNames(apim: ResourceRecord): string[] {
    const names: string[] = [];
    const name = this.view.literal(apim.stack, apim.config.name);
    if (name) names.push(`${name}.azure-api.net`.toLowerCase());
    const hostnames = first(apim.config.hostname_configuration);
    for (const proxy of list(hostnames?.proxy)) {
      const host = this.view.literal(apim.stack, proxy.host_name);
      if (host) names.push(host.toLowerCase());
    }
    for (const custom of this.view.ofType('azurerm_api_management_custom_domain')) {
      if (!this.view.referencedOfType(custom.stack, custom.config.api_management_id, 'azurerm_api_management').includes(apim)) continue;
      for (const gateway of list(custom.config.gateway)) {
        const host = this.view.literal(custom.stack, gateway.host_name);
        if (host) names.push(host.toLowerCase());
      }
    }
    return names;
  }

  /** The ingress gateways that an API Management's APIs and backends call. */
  private gatewaysBehind(apim: ResourceRecord): IngressGateway[] {
    const urls: Array<[ResourceRecord, unknown]> = [
      ...this.apisOf(apim, 'azurerm_api_management_api').map((api): [ResourceRecord, unknown] => [api, api.config.service_url]),
      ...this.apisOf(apim, 'azurerm_api_management_backend').map((b): [ResourceRecord, unknown] => [b, b.config.url]),
    ].filter(([, url]) => url !== undefined);
    const found: IngressGateway[] = [];
    let unknown = false;
    for (const [record, url] of urls) {
      const literal = this.view.literal(record.stack, url);
      const host = literal === undefined ? undefined : hostOf(literal);
      if (host === undefined) {
        unknown = true;
        continue;
      }
      for (const gateway of this.gateways) {
        if (gateway.hosts.some((pattern) => hostMatches(pattern, host)) && !found.includes(gateway)) found.push(gateway);
      }
    }
    // A URL known only at deploy time: the one ingress gateway there is.
    if (found.length === 0 && unknown && this.gateways.length === 1) found.push(this.gateways[0]);
    return found;
  }

  // ---------------------------------------------------------------- cluster and mesh

  /** The group of an AKS cluster, inside its compute subnet. */
  private cluster(record: ResourceRecord): Cluster {
    const existing = this.clusters.get(record.path);
    if (existing) return existing;
    const mesh = first(record.config.service_mesh_profile);
    const details: string[] = [];
    if (mesh && this.view.literal(record.stack, mesh.mode) === 'Istio') {
      const revisions = list(mesh.revisions).map((r) => this.view.literal(record.stack, r)).filter(isString);
      details.push(`Istio add-on${revisions.length > 0 ? ` ${revisions.join(', ')}` : ''}`);
    }
    const group = this.addGroup({
      id: record.path,
      kind: TopologyGroupKind.CLUSTER,
      label: this.name(record),
      details,
      parentId: this.placement(record, record.config.default_node_pool, 'compute'),
      constructPath: record.path,
    });
    const cluster: Cluster = { groupId: group.id, record };
    this.clusters.set(record.path, cluster);
    if (mesh && this.view.literal(record.stack, mesh.mode) === 'Istio') {
      // The add-on deploys its ingress gateways itself: no Terraform resource stands for them.
      const addOnGateways: Array<[unknown, string]> = [
        [mesh.internal_ingress_gateway_enabled, 'aks-istio-ingressgateway-internal'],
        [mesh.external_ingress_gateway_enabled, 'aks-istio-ingressgateway-external'],
      ];
      for (const [enabled, name] of addOnGateways) {
        if (this.view.literal(record.stack, enabled) === 'true') this.ingressGateway(cluster, 'aks-istio-ingress', { istio: name }, 'AKS Istio add-on');
      }
    }
    return cluster;
  }

  /** The cluster that a Kubernetes resource is applied to, from its stack's kubernetes provider. */
  private clusterOf(record: ResourceRecord): Cluster {
    const alias = typeof record.config.provider === 'string' ? record.config.provider.split('.')[1] : undefined;
    const providers = this.view.providers(record.stack, record.type.startsWith('helm_') ? 'helm' : 'kubernetes');
    const provider = providers.find((p) => (alias ? p.alias === alias : p.alias === undefined))
      ?? (providers.length === 1 ? providers[0] : undefined);
    const aks = provider ? this.view.referencedOfType(record.stack, provider, 'azurerm_kubernetes_cluster')[0] : undefined;
    if (aks) return this.cluster(aks);
    const all = this.view.ofType('azurerm_kubernetes_cluster');
    if (all.length === 1) return this.cluster(all[0]);
    const id = `${record.stack.node.path}#kubernetes`;
    let cluster = this.clusters.get(id);
    if (!cluster) {
      this.addGroup({ id, kind: TopologyGroupKind.CLUSTER, label: 'Kubernetes cluster', details: [`provider of ${record.stack.node.id}`] });
      cluster = { groupId: id };
      this.clusters.set(id, cluster);
    }
    return cluster;
  }

  private namespaceGroup(cluster: Cluster, name: string): MutableGroup {
    return this.addGroup({
      id: `${cluster.groupId}#ns/${name}`,
      kind: TopologyGroupKind.NAMESPACE,
      label: name,
      details: [],
      parentId: cluster.groupId,
    });
  }

  private rootNamespaces(cluster: Cluster): string[] {
    return cluster.record && first(cluster.record.config.service_mesh_profile) ? ['aks-istio-system'] : ROOT_NAMESPACES;
  }

  /** The namespace a Kubernetes resource's metadata names (a literal, or a namespace resource it references). */
  private namespaceOf(record: ResourceRecord, value: unknown): string {
    const literal = this.view.literal(record.stack, value);
    if (literal) return literal;
    const namespace = this.view.referencedOfType(record.stack, value, ...NAMESPACE_TYPES)[0];
    return namespace ? this.name(namespace, first(namespace.config.metadata)?.name) : 'default';
  }

  private ingressGateway(cluster: Cluster, namespace: string, selector: Record<string, string>, detail?: string): IngressGateway {
    const key = selectorKey(selector);
    const existing = this.gateways.find((g) => g.cluster === cluster && selectorKey(g.selector) === key);
    if (existing) return existing;
    const name = selector.istio ?? selector.app ?? key;
    const node = this.addNode({
      id: `${cluster.groupId}#gateway/${key}`,
      kind: TopologyNodeKind.INGRESS_GATEWAY,
      label: name,
      details: detail ? [detail] : [],
      groupId: this.namespaceGroup(cluster, namespace).id,
    });
    const gateway: IngressGateway = { node, cluster, namespace, selector, hosts: [] };
    this.gateways.push(gateway);
    return gateway;
  }

  private addMesh(): void {
    for (const ns of this.view.ofType(...NAMESPACE_TYPES)) {
      const meta = first(ns.config.metadata) ?? {};
      const group = this.namespaceGroup(this.clusterOf(ns), this.name(ns, meta.name));
      group.constructPath = ns.path;
      const labels = this.literalMap(ns, meta.labels);
      if (labels['istio.io/rev']) addDetail(group, `sidecars ${labels['istio.io/rev']}`);
      else if (labels['istio-injection'] === 'enabled') addDetail(group, 'sidecars injected');
    }

    // Helm-installed Istio gateways (the `gateway` chart labels its pods `istio: <name without "istio-">`).
    for (const release of this.view.ofType('helm_release')) {
      if (this.view.literal(release.stack, release.config.chart) !== 'gateway') continue;
      const name = this.name(release);
      const gateway = this.ingressGateway(this.clusterOf(release), this.namespaceOf(release, release.config.namespace), { istio: name.replace(/^istio-/, '') }, 'Helm chart gateway');
      gateway.node.constructPath = gateway.node.constructPath ?? release.path;
    }

    for (const deployment of this.view.ofType(...DEPLOYMENT_TYPES)) {
      const meta = first(deployment.config.metadata) ?? {};
      const spec = first(deployment.config.spec) ?? {};
      const template = first(spec.template) ?? {};
      const podSpec = first(template.spec) ?? {};
      const serviceAccount = this.view.literal(deployment.stack, podSpec.service_account_name)
        ?? this.referencedName(deployment, podSpec.service_account_name, 'kubernetes_service_account_v1', 'kubernetes_service_account')
        ?? 'default';
      this.addWorkload(deployment, this.name(deployment, meta.name), this.namespaceOf(deployment, meta.namespace),
        this.literalMap(deployment, first(template.metadata)?.labels), serviceAccount, this.view.literal(deployment.stack, spec.replicas));
    }

    const manifests = this.view.ofType('kubernetes_manifest').map((r) => ({ record: r, manifest: r.config.manifest ?? {} }));
    for (const { record, manifest } of manifests) {
      if (manifest.kind !== 'Deployment' || !/^apps\//.test(String(manifest.apiVersion))) continue;
      const template = manifest.spec?.template ?? {};
      this.addWorkload(record, this.name(record, manifest.metadata?.name), this.namespaceOf(record, manifest.metadata?.namespace),
        this.literalMap(record, template.metadata?.labels), this.view.literal(record.stack, template.spec?.serviceAccountName) ?? 'default',
        this.view.literal(record.stack, manifest.spec?.replicas));
    }

    const istio = (kind: string) => manifests.filter(({ manifest }) => manifest.kind === kind && /\.istio\.io\//.test(String(manifest.apiVersion)));
    for (const { record, manifest } of istio('Gateway')) {
      const namespace = this.namespaceOf(record, manifest.metadata?.namespace);
      const selector = this.literalMap(record, manifest.spec?.selector);
      const gateway = this.ingressGateway(this.clusterOf(record), namespace, selector);
      const hosts = list(manifest.spec?.servers).flatMap((s: any) => list(s.hosts))
        .map((h) => this.view.literal(record.stack, h)).filter(isString).map((h) => h.replace(/^[^/]*\//, ''));
      for (const host of hosts) if (!gateway.hosts.includes(host)) gateway.hosts.push(host);
      addDetail(gateway.node, `Gateway ${this.name(record, manifest.metadata?.name)}${hosts.length > 0 ? `: ${hosts.join(', ')}` : ''}`);
      this.gatewayRefs.set(`${gateway.cluster.groupId}|${namespace}/${this.name(record, manifest.metadata?.name)}`, gateway);
    }
    for (const { record, manifest } of istio('PeerAuthentication')) {
      const cluster = this.clusterOf(record);
      const namespace = this.namespaceOf(record, manifest.metadata?.namespace);
      const mode = this.view.literal(record.stack, manifest.spec?.mtls?.mode);
      if (!mode || manifest.spec?.selector) continue;
      if (this.rootNamespaces(cluster).includes(namespace)) addDetail(this.groups.get(cluster.groupId)!, `mTLS ${mode} mesh-wide`);
      else addDetail(this.namespaceGroup(cluster, namespace), `mTLS ${mode}`);
    }
    this.virtualServices = istio('VirtualService');
    this.authorizationPolicies = istio('AuthorizationPolicy');
    for (const { record, manifest } of this.virtualServices) {
      const cluster = this.clusterOf(record);
      const namespace = this.namespaceOf(record, manifest.metadata?.namespace);
      const hosts = list(manifest.spec?.hosts).map((h) => this.view.literal(record.stack, h)).filter(isString);
      for (const ref of list(manifest.spec?.gateways).map((g) => this.view.literal(record.stack, g)).filter(isString)) {
        if (ref === 'mesh') continue;
        const gateway = this.gatewayRefs.get(`${cluster.groupId}|${ref.includes('/') ? ref : `${namespace}/${ref}`}`);
        if (gateway) for (const host of hosts) if (!gateway.hosts.includes(host)) gateway.hosts.push(host);
      }
    }
  }


  private addWorkload(record: ResourceRecord, name: string, namespace: string, podLabels: Record<string, string>,
    serviceAccount: string, replicas: string | undefined): void {
    const cluster = this.clusterOf(record);
    const node = this.addNode({
      id: record.path,
      kind: TopologyNodeKind.SERVICE,
      label: name,
      details: [`sa ${serviceAccount}${replicas !== undefined ? ` · ${replicas} replica${replicas === '1' ? '' : 's'}` : ''}`],
      groupId: this.namespaceGroup(cluster, namespace).id,
      constructPath: record.path,
    });
    this.workloads.push({ node, cluster, namespace, name, podLabels, serviceAccount });
  }

  /** Ingress gateway -> workload, for every route of a VirtualService bound to the gateway. */
  private addRoutes(): void {
    const services = this.view.ofType(...SERVICE_TYPES);
    for (const { record, manifest } of this.virtualServices) {
      const cluster = this.clusterOf(record);
      const namespace = this.namespaceOf(record, manifest.metadata?.namespace);
      const gateways = list(manifest.spec?.gateways).map((g) => this.view.literal(record.stack, g)).filter(isString)
        .map((ref) => this.gatewayRefs.get(`${cluster.groupId}|${ref.includes('/') ? ref : `${namespace}/${ref}`}`))
        .filter((g): g is IngressGateway => g !== undefined);
      const routes = ['http', 'tls', 'tcp'].flatMap((k) => list(manifest.spec?.[k])).flatMap((r: any) => list(r.route));
      const destinations = routes.map((r: any) => this.view.literal(record.stack, r.destination?.host)).filter(isString);
      for (const host of destinations) {
        const [serviceName, serviceNamespace = namespace] = host.split('.');
        for (const workload of this.workloadsBehind(cluster, serviceName, serviceNamespace, services)) {
          for (const gateway of gateways) this.addEdge(TopologyEdgeKind.REQUEST, gateway.node.id, workload.node.id, 'mTLS');
        }
      }
    }
  }

  /** Workloads behind a Kubernetes Service (by its selector), else those named like it. */
  private workloadsBehind(cluster: Cluster, name: string, namespace: string, services: ResourceRecord[]): Workload[] {
    const inNamespace = this.workloads.filter((w) => w.cluster === cluster && w.namespace === namespace);
    for (const service of services) {
      const meta = first(service.config.metadata) ?? {};
      const same = this.clusterOf(service) === cluster && this.name(service, meta.name) === name
        && this.namespaceOf(service, meta.namespace) === namespace;
      if (!same) continue;
      const selector = this.literalMap(service, first(service.config.spec)?.selector);
      if (Object.keys(selector).length > 0) return inNamespace.filter((w) => matchesLabels(selector, w.podLabels));
    }
    return inNamespace.filter((w) => w.name === name || w.podLabels.app === name);
  }

  /** Caller -> workload for every principal (or namespace) an ALLOW AuthorizationPolicy admits. */
  private addAllowedEdges(): void {
    for (const { record, manifest } of this.authorizationPolicies) {
      const cluster = this.clusterOf(record);
      const namespace = this.namespaceOf(record, manifest.metadata?.namespace);
      const spec = manifest.spec ?? {};
      const action = this.view.literal(record.stack, spec.action) ?? 'ALLOW';
      if (action !== 'ALLOW') continue;
      const rules = list(spec.rules);
      const meshWide = this.rootNamespaces(cluster).includes(namespace);
      if (rules.length === 0) {
        if (!spec.selector) {
          const group = meshWide ? this.groups.get(cluster.groupId)! : this.namespaceGroup(cluster, namespace);
          addDetail(group, meshWide ? 'default deny mesh-wide' : 'default deny');
        }
        continue;
      }
      const selector = this.literalMap(record, spec.selector?.matchLabels);
      const targets = this.workloads.filter((w) => w.cluster === cluster && (meshWide || w.namespace === namespace)
        && matchesLabels(selector, w.podLabels));
      for (const rule of rules) {
        const operation = describeOperations(list(rule.to).map((t: any) => t.operation ?? {}));
        for (const source of list(rule.from).map((f: any) => f.source ?? {})) {
          const callers: MutableNode[] = [];
          for (const principal of list(source.principals).map((p) => this.view.literal(record.stack, p)).filter(isString)) {
            callers.push(...this.callersOf(cluster, principal));
          }
          for (const ns of list(source.namespaces).map((n) => this.view.literal(record.stack, n)).filter(isString)) {
            callers.push(...this.workloads.filter((w) => w.cluster === cluster && patternMatches(ns, w.namespace)).map((w) => w.node));
          }
          for (const caller of callers) {
            for (const target of targets) {
              if (caller !== target.node) this.addEdge(TopologyEdgeKind.ALLOWED, caller.id, target.node.id, operation);
            }
          }
        }
      }
    }
  }

  /** Nodes that a principal (`cluster.local/ns/<ns>/sa/<sa>`, `*` wildcards allowed) names. */
  private callersOf(cluster: Cluster, principal: string): MutableNode[] {
    const principalOf = (namespace: string, serviceAccount: string) => `cluster.local/ns/${namespace}/sa/${serviceAccount}`;
    const workloads = this.workloads.filter((w) => w.cluster === cluster && patternMatches(principal, principalOf(w.namespace, w.serviceAccount)));
    if (workloads.length > 0) return workloads.map((w) => w.node);
    // A gateway's service account: named after its selector (add-on, Helm chart `gateway`), or any
    // account of the gateway's namespace when no workload of the tree lives there.
    const gateways = this.gateways.filter((g) => g.cluster === cluster && (
      [g.selector.istio, g.selector.app, g.selector.istio ? `istio-${g.selector.istio}` : undefined].filter(isString)
        .some((sa) => patternMatches(principal, principalOf(g.namespace, sa)))
      || (!this.workloads.some((w) => w.cluster === cluster && w.namespace === g.namespace)
        && patternMatches(principal.replace(/\/sa\/[^/]*$/, '/sa/'), principalOf(g.namespace, '')))));
    if (gateways.length > 0) return gateways.map((g) => g.node);
    if (principal === '*') return [];
    // A caller outside the tree: shown as a peer in its namespace.
    const match = /^(?:[^/]+\/)?ns\/([^/]+)\/sa\/([^/]+)$/.exec(principal);
    const namespace = match && !match[1].includes('*') ? match[1] : undefined;
    return [this.addNode({
      id: `${cluster.groupId}#peer/${principal}`,
      kind: TopologyNodeKind.PEER,
      label: match ? match[2] : principal,
      details: [match ? `principal in ${match[1]}` : 'principal'],
      groupId: namespace ? this.namespaceGroup(cluster, namespace).id : cluster.groupId,
    })];
  }

  // ---------------------------------------------------------------- shared services

  private addSharedServices(): void {
    const kinds: Array<[string, TopologyNodeKind, (r: ResourceRecord) => string[]]> = [
      ['azurerm_log_analytics_workspace', TopologyNodeKind.LOG_ANALYTICS, (r) => {
        const days = this.view.literal(r.stack, r.config.retention_in_days);
        return [[this.view.literal(r.stack, r.config.sku), days ? `${days} days` : undefined].filter(isString).join(' · ')];
      }],
      ['azurerm_application_insights', TopologyNodeKind.APPLICATION_INSIGHTS, (r) => {
        const type = this.view.literal(r.stack, r.config.application_type);
        const workspace = this.view.referencedOfType(r.stack, r.config.workspace_id, 'azurerm_log_analytics_workspace')[0];
        return [[type, workspace ? `→ ${this.name(workspace)}` : undefined].filter(isString).join(' · ')];
      }],
      ['azurerm_key_vault', TopologyNodeKind.KEY_VAULT, (r) => {
        const flags = [
          this.view.literal(r.stack, r.config.rbac_authorization_enabled ?? r.config.enable_rbac_authorization) === 'true' ? 'RBAC' : undefined,
          this.view.literal(r.stack, r.config.purge_protection_enabled) === 'true' ? 'purge protection' : undefined,
          this.view.literal(r.stack, first(r.config.network_acls)?.default_action) === 'Deny' ? 'firewall deny' : undefined,
        ];
        return [flags.filter(isString).join(' · ')];
      }],
    ];
    for (const [type, kind, describe] of kinds) {
      for (const record of this.view.ofType(type)) {
        const group = this.addGroup({ id: '#shared', kind: TopologyGroupKind.SHARED, label: 'Shared services', details: [] });
        this.addNode({
          id: record.path,
          kind,
          label: this.name(record),
          details: describe(record).filter((d) => d !== ''),
          groupId: group.id,
          constructPath: record.path,
        });
      }
    }
  }

  // ---------------------------------------------------------------- observability

  /**
   * The observability plane: alert counts on the resources they watch, and a group with the Azure Monitor
   * workspace (managed Prometheus and its rule groups), the action groups and Grafana.
   */
  private addObservability(): void {
    const alerts = this.view.ofType('azurerm_monitor_metric_alert');
    const ruleGroups = this.view.ofType('azurerm_monitor_alert_prometheus_rule_group');
    const watched = new Map<string, number>();
    for (const alert of alerts) {
      for (const scope of list(alert.config.scopes)) {
        for (const target of this.view.referencedOfType(alert.stack, scope, 'azurerm_application_gateway', 'azurerm_api_management',
          'azurerm_kubernetes_cluster', 'azurerm_public_ip', 'azurerm_key_vault')) {
          watched.set(target.path, (watched.get(target.path) ?? 0) + 1);
        }
      }
    }
    for (const [path, count] of watched) {
      const item = this.nodes.get(path) ?? this.groups.get(path);
      if (item) addDetail(item, `${count} metric alerts`);
    }
    const group = () => this.addGroup({ id: '#observability', kind: TopologyGroupKind.OBSERVABILITY, label: 'Observability', details: [] });
    const node = (record: ResourceRecord, kind: TopologyNodeKind, details: string[]) => this.addNode({
      id: record.path, kind, label: this.name(record), details: details.filter((d) => d !== ''), groupId: group().id, constructPath: record.path,
    });
    for (const record of this.view.ofType('azurerm_monitor_workspace')) {
      const groups = ruleGroups.filter((g) => list(g.config.scopes).some((s) => this.view.referencedOfType(g.stack, s, 'azurerm_monitor_workspace').includes(record)));
      const rules = groups.flatMap((g) => list(g.config.rule));
      const alerting = rules.filter((r) => r.alert !== undefined).length;
      node(record, TopologyNodeKind.MONITOR_WORKSPACE, [
        `${groups.length} rule groups`,
        `${alerting} alert rules · ${rules.length - alerting} recording rules`,
      ]);
    }
    for (const record of this.view.ofType('azurerm_monitor_action_group')) {
      const notifying = (r: ResourceRecord, blocks: unknown) => list(blocks).some((a) =>
        this.view.referencedOfType(r.stack, a?.action_group_id, 'azurerm_monitor_action_group').includes(record));
      const metric = alerts.filter((a) => notifying(a, a.config.action)).length;
      const prometheus = ruleGroups.flatMap((g) => list(g.config.rule).filter((r) => notifying(g, r.action))).length;
      const emails = list(record.config.email_receiver).length;
      const webhooks = list(record.config.webhook_receiver).length;
      node(record, TopologyNodeKind.ACTION_GROUP, [
        `${metric} metric alerts · ${prometheus} Prometheus alerts`,
        [emails ? `${emails} e-mail` : '', webhooks ? `${webhooks} webhook` : ''].filter((d) => d !== '').join(' · '),
      ]);
    }
    for (const record of this.view.ofType('azurerm_dashboard_grafana')) {
      const version = this.view.literal(record.stack, record.config.grafana_major_version);
      const workspaces = list(record.config.azure_monitor_workspace_integrations)
        .flatMap((i) => this.view.referencedOfType(record.stack, i?.resource_id, 'azurerm_monitor_workspace'));
      node(record, TopologyNodeKind.GRAFANA, [[version ? `Grafana ${version}` : '', ...workspaces.map((w) => `→ ${this.name(w)}`)].filter((d) => d !== '').join(' · ')]);
    }
  }

  // ---------------------------------------------------------------- helpers

  /**
   * A resource's literal name; for a name Terraform completes (a unique suffix), its literal start and
   * an ellipsis (`apim-gwmesh-…`); else its construct id (its parent's id for `Resource`).
   */
  private name(record: ResourceRecord, value: unknown = record.config.name): string {
    const literal = this.view.literal(record.stack, value);
    if (literal) return literal;
    const start = typeof value === 'string' ? value.slice(0, Math.max(value.indexOf('${'), 0)) : '';
    if (start.length >= 3) return `${start}…`;
    const construct = record.construct.node;
    return construct.id === 'Resource' && construct.scope ? construct.scope.node.id : construct.id;
  }

  private referencedName(record: ResourceRecord, value: unknown, ...types: string[]): string | undefined {
    const target = this.view.referencedOfType(record.stack, value, ...types)[0];
    return target ? this.name(target, first(target.config.metadata)?.name) : undefined;
  }

  /** The entries of a label map whose keys and values are literal. */
  private literalMap(record: ResourceRecord, value: unknown): Record<string, string> {
    const out: Record<string, string> = {};
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return out;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const literal = this.view.literal(record.stack, v);
      if (literal !== undefined && !key.includes('${')) out[key] = literal;
    }
    return out;
  }

  private addGroup(group: MutableGroup): MutableGroup {
    const existing = this.groups.get(group.id);
    if (existing) return existing;
    this.groups.set(group.id, group);
    return group;
  }

  private addNode(node: MutableNode): MutableNode {
    const existing = this.nodes.get(node.id);
    if (existing) return existing;
    this.nodes.set(node.id, node);
    return node;
  }

  private addEdge(kind: TopologyEdgeKind, sourceId: string, targetId: string, label: string | undefined): void {
    const id = `${kind}:${sourceId}->${targetId}`;
    const edge = this.edges.get(id) ?? { id, kind, sourceId, targetId, labels: [] };
    if (label && !edge.labels.includes(label)) edge.labels.push(label);
    this.edges.set(id, edge);
  }
}

function freezeGroup(g: MutableGroup): TopologyGroup {
  return {
    id: g.id,
    kind: g.kind,
    label: g.label,
    details: [...g.details],
    ...(g.parentId !== undefined ? { parentId: g.parentId } : {}),
    ...(g.constructPath !== undefined ? { constructPath: g.constructPath } : {}),
  };
}

function freezeNode(n: MutableNode): TopologyNode {
  return {
    id: n.id,
    kind: n.kind,
    label: n.label,
    details: [...n.details],
    ...(n.groupId !== undefined ? { groupId: n.groupId } : {}),
    ...(n.constructPath !== undefined ? { constructPath: n.constructPath } : {}),
  };
}

function freezeEdge(e: MutableEdge): TopologyEdge {
  return {
    id: e.id,
    kind: e.kind,
    sourceId: e.sourceId,
    targetId: e.targetId,
    ...(e.labels.length > 0 ? { label: e.labels.join('; ') } : {}),
  };
}

function addDetail(item: { details: string[] }, detail: string): void {
  if (!item.details.includes(detail)) item.details.push(detail);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function selectorKey(selector: Record<string, string>): string {
  return Object.keys(selector).sort().map((k) => `${k}=${selector[k]}`).join(',');
}

function matchesLabels(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.keys(selector).every((k) => labels[k] === selector[k]);
}

/** Istio's string match: exact, `*`, `prefix*` or `*suffix`. */
function patternMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** A host name against a Gateway or VirtualService host (`*.mesh.internal` matches one or more labels). */
function hostMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase();
  const h = host.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) return h.endsWith(p.slice(1));
  return p === h;
}

function hostOf(url: string): string | undefined {
  const match = /^[a-z][a-z0-9+.-]*:\/\/([^/:?#]+)/i.exec(url);
  return match ? match[1] : undefined;
}

/** `GET,POST /orders/*` from AuthorizationPolicy operations; `all operations` when the rule names none. */
function describeOperations(operations: any[]): string {
  const parts = operations.map((op) => {
    const methods = list(op.methods).filter(isString).join(',');
    const paths = list(op.paths).filter(isString).join(',');
    const portList = list(op.ports).map((p) => (typeof p === 'number' ? String(p) : p)).filter(isString);
    const ports = portList.length > 0 ? `port ${portList.join(',')}` : '';
    return [methods, paths, ports].filter((s) => s !== '').join(' ');
  }).filter((s) => s !== '');
  if (parts.length === 0) return 'all operations';
  const text = parts.join('; ');
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

