// Importers: constructs built on infrastructure that exists outside the app, from names and ids alone.
import { App, TerraformStack } from 'cdktf';
import {
  ApiBackend, ApiGovernance, ApiPolicy, ExistingSubnet, HttpMethod, IstioMode, MeshCluster, MeshConnection, MeshService, MeshPort, TieredNetwork,
} from '../lib';
import { expectValidStack, synthStack } from './support';

const SUB = '00000000-0000-0000-0000-000000000000';
const VNET = `/subscriptions/${SUB}/resourceGroups/rg-hub/providers/Microsoft.Network/virtualNetworks/vnet-hub`;
const newStack = (id = 'team') => new TerraformStack(new App(), id);

describe('TieredNetwork.fromSubnetIds', () => {
  test('reads the subnets and their VNet; a cluster and an APIM deploy into them and validate', () => {
    const stack = newStack('platform');
    const network = TieredNetwork.fromSubnetIds(stack, 'Network', {
      edgeSubnetId: `${VNET}/subnets/snet-edge`, apiSubnetId: `${VNET}/subnets/snet-api`, computeSubnetId: `${VNET}/subnets/snet-compute`,
    });
    expect(network.apiSubnet).toMatchObject({ subnetId: `${VNET}/subnets/snet-api`, subnetName: 'snet-api', virtualNetworkId: VNET, virtualNetworkName: 'vnet-hub' });
    const placement = { resourceGroupName: 'rg-shop', location: 'westeurope' };
    new MeshCluster(stack, 'Cluster', { ...placement, subnet: network.computeSubnet });
    new ApiGovernance(stack, 'Api', { ...placement, name: 'apim-shop', subnet: network.apiSubnet, publisherName: 'Shop', publisherEmail: 'ops@shop.example' });
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(Object.values<any>(json.data.azurerm_subnet).map((s) => s.name).sort()).toEqual(['snet-api', 'snet-compute', 'snet-edge']);
    expect(Object.values<any>(json.data.azurerm_virtual_network).map((v) => v.name)).toEqual(['vnet-hub', 'vnet-hub', 'vnet-hub']);
    expect(json.resource.azurerm_subnet).toBeUndefined();
    // The constructs associate their NSGs with the existing subnets.
    const associations = Object.values<any>(json.resource.azurerm_subnet_network_security_group_association).map((a) => a.subnet_id).sort();
    expect(associations).toEqual([`${VNET}/subnets/snet-api`, `${VNET}/subnets/snet-compute`]);
  });

  test('fails when an id is not a literal subnet id, or the layers do not share one VNet and a subnet each', () => {
    const other = VNET.replace('vnet-hub', 'vnet-other');
    const ok = { edgeSubnetId: `${VNET}/subnets/a`, apiSubnetId: `${VNET}/subnets/b`, computeSubnetId: `${VNET}/subnets/c` };
    expect(() => TieredNetwork.fromSubnetIds(newStack(), 'N', { ...ok, apiSubnetId: 'snet-api' }))
      .toThrow(/ImportedTieredNetwork at 'team\/N': invalid 'apiSubnetId': got "snet-api"; expected the literal resource id of a subnet/);
    expect(() => TieredNetwork.fromSubnetIds(newStack(), 'N', { ...ok, computeSubnetId: `${other}/subnets/c` }))
      .toThrow(/invalid 'computeSubnetId'.*expected a subnet of the same VNet as 'edgeSubnetId'/);
    expect(() => TieredNetwork.fromSubnetIds(newStack(), 'N', { ...ok, apiSubnetId: ok.edgeSubnetId }))
      .toThrow(/invalid 'apiSubnetId'.*expected a subnet other than 'edgeSubnetId's/);
    expect(() => ExistingSubnet.fromSubnetId(newStack(), 'S', `${VNET}/subnets/`)).toThrow(/invalid 'subnetId'/);
  });
});

describe('ApiGovernance.fromServiceAttributes', () => {
  test('APIs, version sets, products and named values go into the existing service; it validates', () => {
    const stack = newStack();
    const apim = ApiGovernance.fromServiceAttributes(stack, 'Apim', { name: 'apim-shop', resourceGroupName: 'rg-shop' });
    const versions = apim.addVersionSet('Versions', { displayName: 'Catalog' });
    const api = apim.addApi('Catalog', {
      path: 'catalog',
      version: 'v1',
      versionSet: versions,
      backend: ApiBackend.fromUrl('https://catalog.shop.example'),
      operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/items' }],
    });
    api.addPolicy(ApiPolicy.header({ name: 'X-Team', values: ['catalog'] }));
    apim.addProduct('CatalogProduct', { apis: [api] });
    apim.addNamedValue('Owner', { value: 'team-catalog' });
    expectValidStack(stack);
    const json = synthStack(stack);
    expect(Object.values<any>(json.data.azurerm_api_management)).toEqual([{ name: 'apim-shop', resource_group_name: 'rg-shop' }]);
    for (const type of ['azurerm_api_management_api', 'azurerm_api_management_product', 'azurerm_api_management_named_value', 'azurerm_api_management_api_version_set']) {
      for (const r of Object.values<any>(json.resource[type])) expect(r).toMatchObject({ api_management_name: 'apim-shop', resource_group_name: 'rg-shop' });
    }
    expect(apim.apiManagementId).toMatch(/^\$\{TfToken/);
  });

  test('fails when asked to change the service itself, or on bad attributes and duplicate APIs', () => {
    const stack = newStack();
    const apim = ApiGovernance.fromServiceAttributes(stack, 'Apim', { name: 'apim-shop', resourceGroupName: 'rg-shop' });
    expect(() => apim.addPolicy(ApiPolicy.header({ name: 'X-A', values: ['a'] })))
      .toThrow(/ImportedApiManagementService at 'team\/Apim': invalid 'addPolicy': got "set-header"; the global policy of an imported API Management service \("apim-shop"\) belongs to the stack that owns the service/);
    const backend = ApiBackend.fromUrl('https://x.shop.example');
    apim.addApi('A', { path: 'a', backend });
    expect(() => apim.addApi('B', { path: 'a', backend })).toThrow(/invalid 'apis.B.path': got "a"; duplicate API path/);
    expect(() => ApiGovernance.fromServiceAttributes(newStack(), 'Apim', { name: 'apim shop', resourceGroupName: 'rg' })).toThrow(/invalid 'name': got "apim shop"/);
    expect(() => ApiGovernance.fromServiceAttributes(newStack(), 'Apim', { name: 'apim', resourceGroupName: '' })).toThrow(/invalid 'resourceGroupName'/);
  });
});

describe('MeshConnection.fromClusterAttributes', () => {
  test('fails on a revision of the other mode, a bad name, or a second default provider in the stack', () => {
    const attrs = { clusterName: 'aks-shop', resourceGroupName: 'rg-shop', revision: 'asm-1-30' };
    expect(() => MeshConnection.fromClusterAttributes(newStack(), 'Mesh', { ...attrs, istioMode: IstioMode.HELM }))
      .toThrow(/ImportedMesh at 'team\/Mesh': invalid 'revision': got "asm-1-30"; expected an Istio release "1.NN.P"/);
    expect(() => MeshConnection.fromClusterAttributes(newStack(), 'Mesh', { ...attrs, revision: '1.30.3' })).toThrow(/invalid 'revision': got "1.30.3"; expected an add-on revision/);
    expect(() => MeshConnection.fromClusterAttributes(newStack(), 'Mesh', { ...attrs, clusterName: 'aks shop' })).toThrow(/invalid 'clusterName'/);
    expect(() => MeshConnection.fromClusterAttributes(newStack(), 'Mesh', { ...attrs, hostDomain: 'Mesh' })).toThrow(/invalid 'hostDomain'/);
    const stack = newStack();
    MeshConnection.fromClusterAttributes(stack, 'Mesh', attrs);
    expect(() => MeshConnection.fromClusterAttributes(stack, 'Mesh2', { ...attrs, clusterName: 'aks-other' })).toThrow(/invalid 'providerAlias': got undefined; expected an alias that 'team\/Mesh\/KubernetesProvider'/);
    const second = MeshConnection.fromClusterAttributes(stack, 'Mesh3', { ...attrs, clusterName: 'aks-other', providerAlias: 'other' });
    expect(second.gatewayRef).toBe('aks-istio-ingress/mesh-gateway');
  });

  test('a MeshService on the imported mesh validates against the CRDs', () => {
    const stack = newStack();
    const mesh = MeshConnection.fromClusterAttributes(stack, 'Mesh', { clusterName: 'aks-shop', resourceGroupName: 'rg-shop', revision: 'asm-1-30', gatewayName: 'shop-gateway' });
    const svc = new MeshService(stack, 'Catalog', { mesh, image: 'shop.azurecr.io/catalog:1.0.0', ports: [MeshPort.http(8080)] });
    svc.exposeViaGateway();
    expectValidStack(stack);
    expect(JSON.stringify(synthStack(stack))).toContain('aks-istio-ingress/shop-gateway');
  });
});

test('an imported service\'s addApi checks its options\' shape as an owned one does', () => {
  const stack = new TerraformStack(new App(), 'team');
  const apim = ApiGovernance.fromServiceAttributes(stack, 'Apim', { name: 'apim-shop', resourceGroupName: 'rg-shop' });
  expect(() => apim.addApi('Reviews', undefined as any)).toThrow(/invalid 'apis\.Reviews'/);
  expect(() => apim.addApi('Reviews', { path: 'reviews', backend: ApiBackend.fromUrl('https://reviews.mesh.internal'), operations: { operationId: 'x' } as any }))
    .toThrow(/apis\.Reviews\.operations/);
});
