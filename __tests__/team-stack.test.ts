// A product team's stack on the shared platform, built from importers alone: it synthesizes, validates
// against the provider schemas and the Istio CRDs, passes the policy pack, holds no reference into the
// platform's state, and shows in the diagram.
import { App, TerraformStack } from 'cdktf';
import { expectValidStack, synthStack } from './support';
import { StateBackendKind } from '../examples/backend';
import { buildReferenceTopology } from '../examples/reference-topology';
import { buildTeamStack } from '../examples/team-stack';
import { GatewayMeshChecks, IstioMode } from '../lib';
import { buildTopologyModel } from '../lib/diagram/build-model';

const all = (json: any, type: string): any[] => Object.values(json.resource?.[type] ?? {});
const manifests = (json: any, kind: string): any[] => all(json, 'kubernetes_manifest').map((m) => m.manifest).filter((m) => m.kind === kind);
const teamOptions = { resourceGroupName: 'rg-shop', clusterName: 'aks-shop', apiManagementName: 'apim-shop', revision: 'asm-1-30' };

describe('a team stack on its own (the team\'s repository)', () => {
  const app = new App();
  const team = buildTeamStack(app, teamOptions);
  const checks = GatewayMeshChecks.applyTo(app);
  const json = synthStack(team.stack);

  test('is the only stack of its app, valid against the schemas and CRDs, and passes the policy pack', () => {
    expect(app.node.findAll().filter(TerraformStack.isStack).map((s) => s.node.id)).toEqual(['team-reviews']);
    expectValidStack(team.stack);
    expectValidStack(team.stack, '1.30');
    expect(checks.findings).toEqual([]);
  });

  test('reads the cluster and the API Management service with data sources, and creates neither', () => {
    expect(Object.values(json.data.azurerm_kubernetes_cluster)).toEqual([{ name: 'aks-shop', resource_group_name: 'rg-shop' }]);
    expect(Object.values(json.data.azurerm_api_management)).toEqual([{ name: 'apim-shop', resource_group_name: 'rg-shop' }]);
    expect(json.resource.azurerm_kubernetes_cluster).toBeUndefined();
    expect(json.resource.azurerm_api_management).toBeUndefined();
    expect(json.data.terraform_remote_state).toBeUndefined();
    // Providers from the cluster's endpoint, with kubelogin: no credentials in the configuration.
    const [kubernetes] = json.provider.kubernetes;
    expect(kubernetes.host).toMatch(/\$\{data\.azurerm_kubernetes_cluster\.[\w-]+\.kube_config\[0\]\.host\}/);
    expect(kubernetes.exec[0]).toMatchObject({ command: 'kubelogin', args: expect.arrayContaining(['get-token', '--login', 'azurecli']) });
    expect(json.provider.helm[0].kubernetes.host).toBe(kubernetes.host);
  });

  test('creates no mesh-wide resource: those belong to the platform\'s connection', () => {
    for (const kind of ['PeerAuthentication', 'Gateway', 'Sidecar', 'SecretProviderClass']) expect(manifests(json, kind)).toEqual([]);
    expect(json.resource.azurerm_private_dns_a_record).toBeUndefined();
  });

  test('services join the platform\'s mesh: revision label, the platform\'s Gateway, callers named by identity', () => {
    const namespaces = all(json, 'kubernetes_namespace_v1').map((n) => n.metadata);
    expect(namespaces.map((m) => m.name).sort()).toEqual(['ratings', 'reviews']);
    for (const m of namespaces) expect(m.labels).toMatchObject({ 'istio.io/rev': 'asm-1-30' });
    const virtualService = manifests(json, 'VirtualService').find((v) => v.spec.gateways);
    expect(virtualService.spec).toMatchObject({ hosts: ['reviews.mesh.internal'], gateways: ['aks-istio-ingress/mesh-gateway'] });
    const principals = manifests(json, 'AuthorizationPolicy').filter((p) => p.spec.action === 'ALLOW')
      .flatMap((p) => p.spec.rules.flatMap((r: any) => r.from.flatMap((f: any) => f.source.principals)));
    expect(principals.sort()).toEqual([
      'cluster.local/ns/aks-istio-ingress/sa/aks-istio-ingressgateway-internal',
      'cluster.local/ns/orders/sa/orders',
      'cluster.local/ns/reviews/sa/reviews',
    ]);
  });

  test('APIs, version set and product go into the shared service by name', () => {
    const [api] = all(json, 'azurerm_api_management_api');
    expect(api).toMatchObject({ api_management_name: 'apim-shop', resource_group_name: 'rg-shop', path: 'reviews', version: 'v1' });
    expect(all(json, 'azurerm_api_management_api_version_set')).toHaveLength(1);
    expect(all(json, 'azurerm_api_management_product')).toHaveLength(1);
    expect(all(json, 'azurerm_api_management_backend')[0].url).toBe('https://reviews.mesh.internal');
    // The service's global policy is the platform's: not touched here.
    expect(json.resource.azurerm_api_management_policy).toBeUndefined();
  });

  test('Helm-installed Istio: the chart version as revision, istio-injection labels', () => {
    const helmApp = new App();
    const helmTeam = buildTeamStack(helmApp, { ...teamOptions, istioMode: IstioMode.HELM, revision: '1.30.3' });
    expectValidStack(helmTeam.stack, '1.30');
    const helmJson = synthStack(helmTeam.stack);
    for (const n of all(helmJson, 'kubernetes_namespace_v1')) expect(n.metadata.labels).toMatchObject({ 'istio-injection': 'enabled' });
    expect(manifests(helmJson, 'VirtualService').find((v) => v.spec.gateways).spec.gateways).toEqual(['istio-ingress/mesh-gateway']);
  });
});

describe('the team stack in the reference topology', () => {
  const app = new App();
  const topology = buildReferenceTopology(app);
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const team = topology.team.stack;

  test('synthesizes beside the platform\'s stacks without a cross-stack reference', () => {
    expect(team).toBeDefined();
    expectValidStack(team);
    const json = synthStack(team);
    expect(json.data.terraform_remote_state).toBeUndefined();
    expect(team.dependencies).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/cross-stack|remote_state/);
    // The names it was given are the platform's.
    const platform = synthStack(topology.platform);
    expect(Object.values<any>(json.data.azurerm_kubernetes_cluster)[0].name).toBe(all(platform, 'azurerm_kubernetes_cluster')[0].name);
    expect(Object.values<any>(json.data.azurerm_api_management)[0].name).toBe(all(platform, 'azurerm_api_management')[0].name);
  });

  test('the whole topology, team stack included, passes the policy pack', () => {
    for (const stack of stacks) synthStack(stack);
    expect(topology.checks.findings.filter((f) => f.suppressionReason === undefined)).toEqual([]);
  });

  test('Terraform Cloud: the team has its own workspace, the platform team its own', () => {
    const tfcApp = new App();
    const backend = { kind: StateBackendKind.TERRAFORM_CLOUD, organization: 'contoso', project: 'platform' };
    const tfc = buildReferenceTopology(tfcApp, { backend });
    const names = tfcApp.node.findAll().filter(TerraformStack.isStack).map((s) => synthStack(s).terraform.cloud.workspaces.name);
    expect(names.sort()).toEqual(['gateway-mesh-foundation', 'gateway-mesh-platform', 'gateway-mesh-team-reviews', 'gateway-mesh-workloads']);
    expect(synthStack(tfc.workloads).data.terraform_remote_state).toBeDefined();
  });

  test('shows in the diagram: the team\'s services in the cluster, its API in API Management, the routes', () => {
    const model = buildTopologyModel(app);
    const labels = model.nodes.map((n) => n.label);
    expect(labels).toEqual(expect.arrayContaining(['reviews', 'ratings', 'orders']));
    const apim = model.nodes.find((n) => n.label === 'apim-gwmesh-…')!;
    expect(apim.details.join('\n')).toMatch(/API Reviews v1 \/reviews/);
    const id = (label: string) => model.nodes.find((n) => n.label === label)!.id;
    const edges = model.edges.map((e) => `${e.sourceId} -> ${e.targetId}`);
    expect(edges).toEqual(expect.arrayContaining([`${id('reviews')} -> ${id('ratings')}`, `${id('orders')} -> ${id('reviews')}`]));
  });
});
