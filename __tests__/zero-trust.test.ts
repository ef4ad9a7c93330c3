// Zero trust between the layers (issue #17): the NSG reachability of the reference topology equals the
// layer contract in both Istio modes, an extra path fails synth naming it, and inside the cluster every
// mesh namespace denies by default at L3/L4 with exactly the allows its L7 policies imply.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NetworkSecurityRule } from '@cdktf/provider-azurerm/lib/network-security-rule';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { synthStack } from './support';
import { addonMesh } from './support/fixtures';
import { buildReferenceTopology, ReferenceTopology } from '../examples/reference-topology';
import { ApiGovernance, EdgeFrontend, GatewayMeshChecks, HttpMethod, IstioMode, MeshCluster, MeshPeer, MeshPort, MeshService, NetworkReachability, SecureEdge, TieredNetwork } from '../lib';

const newApp = () => new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'zero-trust-')) });
const all = (json: any, type: string): Array<[string, any]> => Object.entries(json.resource?.[type] ?? {});

/** The layer contract of the reference topology: open TCP ports per ordered pair of layers (all else: none). */
const CONTRACT: { [pair: string]: string } = {
  'Internet -> edge': 'TCP 80, 443',
  'edge -> api': 'TCP 443',
  'api -> compute': 'TCP 443',
};

describe.each([IstioMode.AKS_ADDON, IstioMode.HELM])('reference topology (%s): NSG reachability', (istioMode) => {
  test('the reachability matrix equals the layer contract, and the pack reports nothing', () => {
    const app = newApp();
    const topology = buildReferenceTopology(app, { istioMode });
    const matrix = NetworkReachability.analyze(app);
    expect(matrix.ends.map((e) => e.split(' ')[0])).toEqual(['Internet', 'edge', 'api', 'compute']);
    const layer = (end: string) => end.split(' ')[0];
    for (const p of matrix.paths) {
      expect(p.determined).toBe(true);
      const pair = `${layer(p.source)} -> ${layer(p.destination)}`;
      if (p.source === p.destination) continue;
      if (layer(p.destination) === 'Internet') {
        // Outbound Internet stays open: Application Gateway v2, API Management and AKS depend on it.
        expect([pair, p.contract]).toEqual([pair, 'any']);
        continue;
      }
      const open = [p.tcpPorts ? `TCP ${p.tcpPorts}` : '', p.udpPorts ? `UDP ${p.udpPorts}` : ''].filter(Boolean).join('; ') || 'none';
      expect([pair, open]).toEqual([pair, CONTRACT[pair] ?? 'none']);
      expect([pair, p.contract]).toEqual([pair, CONTRACT[pair] ?? 'nothing']);
    }
    expect(matrix.violations).toEqual([]);
    expect(matrix.blocked).toEqual([]);
    app.synth();
    expect(topology.checks.findings.filter((f) => f.ruleId.startsWith('AGM-NET'))).toEqual([]);
  });
});

describe('the pack fails synth on a path the contract does not allow', () => {
  test('an allow from VirtualNetwork on the compute NSG is named: path, ports and rule', () => {
    const app = newApp();
    const topology = buildReferenceTopology(app);
    const cluster = topology.cluster;
    new NetworkSecurityRule(TerraformStack.of(cluster), 'AllowVnetToNodes', {
      name: 'AllowVnetToNodes',
      resourceGroupName: cluster.resourceGroupName,
      networkSecurityGroupName: cluster.networkSecurityGroup.name,
      priority: 200,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      sourceAddressPrefix: 'VirtualNetwork',
      sourcePortRange: '*',
      destinationAddressPrefix: '*',
      destinationPortRange: '22',
    });
    expect(() => app.synth()).toThrow(
      /AGM-NET-001: edge \(snet-edge\) -> compute \(snet-compute\): TCP 22 is open through nsg-aks-gwmesh\/AllowVnetToNodes \(inbound, priority 200\)/);
    const messages = topology.checks.findings.filter((f) => f.ruleId === 'AGM-NET-001').map((f) => f.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/api \(snet-api\) -> compute \(snet-compute\): TCP 22 is open through nsg-aks-gwmesh\/AllowVnetToNodes/);
    expect(messages[0]).toMatch(/the layer contract allows nothing on this path/);
  });

  test('without the explicit deny on the compute NSG, AllowVnetInBound (65000) opens every port to the other layers', () => {
    const app = newApp();
    const topology = buildReferenceTopology(app);
    // Take the explicit deny out: AllowVnetInBound (65000) applies again.
    const deny = topology.cluster.networkSecurityRules.find((r) => r.node.id === 'DenyAllInbound')!;
    deny.addOverride('access', 'Allow');
    deny.addOverride('source_address_prefix', 'AzureLoadBalancer');
    const matrix = NetworkReachability.analyze(app);
    expect(matrix.violations).toEqual(expect.arrayContaining([
      expect.stringMatching(/^edge \(snet-edge\) -> compute \(snet-compute\): TCP any is open through nsg-aks-gwmesh\/AllowVnetInBound \(inbound, priority 65000, Azure default\)/),
      expect.stringMatching(/^api \(snet-api\) -> compute \(snet-compute\): TCP 0-442, 444-65535 is open/),
    ]));
  });
});

describe('the compute NSG follows its callers', () => {
  const build = (gatewayPrivateIp?: string) => {
    const app = newApp();
    const stack = new TerraformStack(app, 'layers');
    const placement = { resourceGroupName: 'rg', location: 'westeurope' };
    const network = new TieredNetwork(stack, 'Network', placement);
    const cluster = new MeshCluster(stack, 'Cluster', { ...placement, subnet: network.computeSubnet, istio: gatewayPrivateIp ? { mode: IstioMode.HELM, gatewayPrivateIp } : undefined });
    // No SecureEdge here: name the edge subnet as the API's clients (without any caller, APIM admits the whole
    // VNet, and the pack reports compute -> API 443).
    const api = new ApiGovernance(stack, 'Api', {
      ...placement,
      name: 'apim-x',
      subnet: network.apiSubnet,
      publisherName: 'P',
      publisherEmail: 'p@contoso.com',
      allowedClientPrefixes: [network.edgeSubnet.addressPrefix],
    });
    return { app, stack, cluster, api };
  };
  const gatewayRule = (json: any) => all(json, 'azurerm_network_security_rule').map(([, r]) => r).find((r) => r.name === 'AllowIngressGatewayHttpsInbound');

  test('without an API routed to the mesh, nothing reaches the compute subnet from the other layers', () => {
    const { app, stack } = build();
    expect(gatewayRule(synthStack(stack))).toBeUndefined();
    expect(NetworkReachability.analyze(app).paths.filter((p) => p.destination.startsWith('compute') && p.source !== p.destination)
      .map((p) => `${p.source}: ${p.tcpPorts}${p.udpPorts}`)).toEqual(['Internet: ', 'api (snet-api): ']);
  });

  test('an API routed to the mesh opens TCP 443 from the API subnet to the pinned gateway IP only (Helm mode)', () => {
    const { app, stack, cluster, api } = build('10.0.16.250');
    api.addApi('Orders', {
      path: 'orders',
      backend: { backendUrl: 'https://orders.mesh.internal', backendHostName: 'orders.mesh.internal', network: cluster.ingressGatewayNetwork },
      operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/orders' }],
    });
    expect(gatewayRule(synthStack(stack))).toMatchObject({ source_address_prefixes: ['10.0.1.0/24'], destination_address_prefix: '10.0.16.250', destination_port_range: '443', priority: 120 });
    const matrix = NetworkReachability.analyze(app);
    expect(matrix.violations).toEqual([]);
    expect(matrix.blocked).toEqual([]);
    expect(matrix.paths.find((p) => p.source.startsWith('api') && p.destination.startsWith('compute'))?.tcpPorts).toBe('443');
  });
});

describe('public and private listeners on one port (#13 item 5)', () => {
  const build = () => {
    const app = newApp();
    const stack = new TerraformStack(app, 'edge-only');
    new AzurermProvider(stack, 'azurerm', { features: [{}] }); // app.synth() runs cdktf's validations first
    const placement = { resourceGroupName: 'rg', location: 'westeurope' };
    const network = new TieredNetwork(stack, 'Network', placement);
    const api = new ApiGovernance(stack, 'Api', { ...placement, name: 'apim-x', subnet: network.apiSubnet, publisherName: 'P', publisherEmail: 'p@contoso.com' });
    const edge = new SecureEdge(stack, 'Edge', {
      ...placement,
      subnet: network.edgeSubnet,
      backend: api,
      privateFrontendIpAddress: '10.0.0.10',
      listeners: [
        { id: 'public', hostNames: ['api.contoso.com'], certificateSecretId: 'https://kv-edge.vault.azure.net/secrets/public' },
        { id: 'internal', hostNames: ['api.contoso.internal'], certificateSecretId: 'https://kv-edge.vault.azure.net/secrets/internal', frontend: EdgeFrontend.PRIVATE, redirectHttp: false },
      ],
    });
    return { app, stack, edge };
  };

  test('the listener rules admit the frontend IPs: the Internet reaches the public frontend on 80 and 443', () => {
    const { app, stack } = build();
    const json = synthStack(stack);
    const [, nsg] = all(json, 'azurerm_network_security_group').find(([key]) => key.startsWith('Edge_'))!;
    for (const name of ['AllowPublicListenersInbound', 'AllowPrivateListenersInbound']) {
      const rule = nsg.security_rule.find((r: any) => r.name === name);
      expect(rule.destination_address_prefixes).toEqual(['10.0.0.0/24', expect.stringMatching(/^\$\{azurerm_public_ip\.Edge_PublicIp_\w+\.ip_address\}$/), '10.0.0.10']);
    }
    const matrix = NetworkReachability.analyze(app);
    expect(matrix.blocked).toEqual([]);
    expect(matrix.paths.find((p) => p.source === 'Internet' && p.destination.startsWith('edge'))?.tcpPorts).toBe('80, 443');
  });

  test('with the subnet as the only destination (the rules before the fix), the pack names the blocked path', () => {
    const { app, edge } = build();
    // The rules as they were: destination the subnet prefix only.
    edge.networkSecurityGroup.addOverride('security_rule.2.destination_address_prefix', '10.0.0.0/24');
    edge.networkSecurityGroup.addOverride('security_rule.2.destination_address_prefixes', null);
    const matrix = NetworkReachability.analyze(app);
    expect(matrix.blocked).toEqual([expect.stringMatching(/^Internet -> edge \(snet-edge\): TCP 80, 443 is required by the layer contract but not open/)]);
    GatewayMeshChecks.applyTo(app);
    expect(() => app.synth()).toThrow(/\[edge-only\/Edge\/Nsg\] AGM-NET-002: Internet -> edge \(snet-edge\): TCP 80, 443 is required/);
  });
});

describe.each([IstioMode.AKS_ADDON, IstioMode.HELM])('reference topology (%s): L3/L4 NetworkPolicies agree with L7', (istioMode) => {
  let topology: ReferenceTopology;
  const jsonOf = new Map<TerraformStack, any>();
  const json = (s: MeshService) => {
    const stack = TerraformStack.of(s);
    if (!jsonOf.has(stack)) jsonOf.set(stack, synthStack(stack));
    return jsonOf.get(stack);
  };
  beforeAll(() => {
    topology = buildReferenceTopology(new App(), { istioMode });
  });

  /** Namespace of a resource: a literal, or a reference to a namespace resource of the same stack. */
  const namespaceOf = (stackJson: any, value: string): string => {
    const ref = /^\$\{kubernetes_namespace_v1\.([^.]+)\.metadata\[0\]\.name\}$/.exec(value);
    return ref ? stackJson.resource.kubernetes_namespace_v1[ref[1]].metadata.name : value;
  };
  const policiesIn = (stackJson: any, namespace: string) => all(stackJson, 'kubernetes_network_policy_v1')
    .map(([, p]) => p).filter((p) => namespaceOf(stackJson, p.metadata.namespace) === namespace);
  /** What the AuthorizationPolicies of a service admit: principal -> container ports. */
  const l7 = (stackJson: any, s: MeshService): Map<string, string[]> => {
    const out = new Map<string, string[]>();
    for (const [, m] of all(stackJson, 'kubernetes_manifest')) {
      const ap = m.manifest;
      if (ap.kind !== 'AuthorizationPolicy' || ap.metadata.namespace !== s.namespace.name || ap.spec.selector?.matchLabels?.app !== s.name) continue;
      for (const rule of ap.spec.rules) {
        for (const principal of rule.from[0].source.principals) {
          out.set(principal, [...new Set([...out.get(principal) ?? [], ...rule.to[0].operation.ports])].sort());
        }
      }
    }
    return out;
  };
  const services = () => Object.values(topology.services);
  /** The pods a principal stands for: a MeshService's `app` label, the gateway's selector. */
  const podsOf = (principal: string): { namespace: string; labels: { [k: string]: string } } => {
    const peer = [...services(), topology.mesh.ingressGatewayPeer].find((p) => p.principal === principal)!;
    return { namespace: /\/ns\/([^/]+)\//.exec(principal)![1], labels: peer.podLabels! };
  };
  const selector = (namespace: string, labels: { [k: string]: string }) => ({
    namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': namespace } },
    pod_selector: { match_labels: labels },
  });

  test('every mesh namespace denies ingress and egress by default, and lets its pods reach DNS and istiod only', () => {
    for (const s of services()) {
      const policies = policiesIn(json(s), s.namespace.name);
      expect(policies.find((p) => p.metadata.name === 'default-deny')?.spec).toEqual({ pod_selector: {}, policy_types: ['Ingress', 'Egress'] });
      const baseline = policies.find((p) => p.metadata.name === 'allow-dns-and-istiod')!.spec;
      expect(baseline.policy_types).toEqual(['Egress']);
      expect(baseline.egress).toEqual([
        { to: [selector('kube-system', { 'k8s-app': 'kube-dns' })], ports: [{ port: '53', protocol: 'UDP' }, { port: '53', protocol: 'TCP' }] },
        { to: [selector(topology.mesh.rootNamespace, { app: 'istiod' })], ports: [{ port: '15012', protocol: 'TCP' }] },
      ]);
    }
  });

  test('for every service, the ingress NetworkPolicies admit exactly the callers and ports of its AuthorizationPolicies', () => {
    let checked = 0;
    for (const s of services()) {
      const stackJson = json(s);
      const expected = [...l7(stackJson, s)].map(([principal, ports]) => {
        const pods = podsOf(principal);
        return { from: [selector(pods.namespace, pods.labels)], ports: ports.map((port) => ({ port, protocol: 'TCP' })) };
      });
      const actual = policiesIn(stackJson, s.namespace.name)
        .filter((p) => p.spec.policy_types.includes('Ingress') && p.metadata.name !== 'default-deny')
        .map((p) => {
          expect(p.spec.pod_selector).toEqual({ match_labels: { app: s.name } });
          expect(p.spec.ingress).toHaveLength(1);
          return p.spec.ingress[0];
        });
      expect(actual.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
        .toEqual(expected.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
      checked += expected.length;
    }
    // orders <- ingress gateway, inventory <- orders, payments <- orders.
    expect(checked).toBe(3);
  });

  test('for every service, the egress NetworkPolicies reach exactly the services that allow it', () => {
    for (const caller of services()) {
      const expected = services().flatMap((callee) => {
        const ports = l7(json(callee), callee).get(caller.principal);
        return ports ? [{ to: [selector(callee.namespace.name, { app: callee.name })], ports: ports.map((port) => ({ port, protocol: 'TCP' })) }] : [];
      });
      const actual = policiesIn(json(caller), caller.namespace.name)
        .filter((p) => p.spec.policy_types.length === 1 && p.spec.policy_types[0] === 'Egress' && p.metadata.name !== 'allow-dns-and-istiod')
        .map((p) => {
          expect(p.spec.pod_selector).toEqual({ match_labels: { app: caller.name } });
          return p.spec.egress[0];
        });
      expect(actual.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))))
        .toEqual(expected.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    }
    expect(policiesIn(json(topology.services.orders), 'orders').filter((p) => p.metadata.name.startsWith('orders-to-'))).toHaveLength(2);
  });
});

describe('NetworkPolicies of allowFrom', () => {
  test('a peer by service account: its namespace is admitted on the same ports, no egress policy is written for it', () => {
    const stack = new TerraformStack(new App(), 'workloads');
    const billing = new MeshService(stack, 'Billing', { mesh: addonMesh, image: 'contoso.azurecr.io/billing:1.0.0', ports: [MeshPort.http(8080), MeshPort.grpc(9090)] });
    billing.allowFrom(MeshPeer.fromServiceAccount('reports', 'exporter'), { ports: [9090] });
    billing.allowFrom(MeshPeer.fromServiceAccount('reports', 'exporter'), { ports: [8080], methods: ['GET'] });
    const json = synthStack(stack);
    const policies = all(json, 'kubernetes_network_policy_v1').map(([id, p]) => [id.replace(/_[0-9A-F]{8}$/, ''), p.spec] as const);
    expect(policies.map(([id]) => id).sort()).toEqual(['Billing_Namespace_AllowMeshEgress', 'Billing_Namespace_DefaultDeny', 'Billing_NetworkPolicyFrom-reports-exporter']);
    expect(policies.find(([id]) => id.includes('From'))![1]).toEqual({
      pod_selector: { match_labels: { app: 'billing' } },
      policy_types: ['Ingress'],
      ingress: [{
        from: [{ namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'reports' } } }],
        ports: [{ port: '8080', protocol: 'TCP' }, { port: '9090', protocol: 'TCP' }],
      }],
    });
    expect(billing.networkPolicies).toHaveLength(1);
  });
});

describe('the README matrix', () => {
  test('is the analysis of the reference topology (npx tsx scripts/reachability-table.ts)', () => {
    const app = new App();
    buildReferenceTopology(app);
    const table = NetworkReachability.renderTable(NetworkReachability.analyze(app));
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toContain(`<!-- reachability:start -->\n${table}<!-- reachability:end -->`);
  });
});
