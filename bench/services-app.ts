// The service workload of the bench, with the policy pack on: foundation (network, vault) and platform
// (cluster, API Management, edge) stacks and a workloads stack with N MeshServices (argv[2]), each in its own namespace, each
// allowed to be called by the one before it; every other one is exposed through the gateway and
// published as an API of API Management. The per-service cost of synth.
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { ApiGovernance, CertificateVault, GatewayMeshChecks, HttpMethod, MeshCluster, MeshService, SecureEdge, TieredNetwork } from '../lib';

const count = Number(process.argv[2] ?? 10);
const app = new App();
const placement = { resourceGroupName: 'rg-bench', location: 'westeurope' };
// The vault of the certificates is created a stack before the gateway that reads them (the AGM-DEP rules).
const foundation = new TerraformStack(app, 'foundation');
new AzurermProvider(foundation, 'azurerm', { features: [{}] });
const network = new TieredNetwork(foundation, 'Network', placement);
const vault = new CertificateVault(foundation, 'Vault', { ...placement, name: 'kv-bench', subnet: network.computeSubnet });
const platform = new TerraformStack(app, 'platform');
new AzurermProvider(platform, 'azurerm', { features: [{}] });
const cluster = new MeshCluster(platform, 'Cluster', { ...placement, name: 'aks-bench', subnet: network.computeSubnet, keyVaultId: vault.keyVaultId });
const api = new ApiGovernance(platform, 'Api', {
  ...placement, name: 'apim-bench', subnet: network.apiSubnet, publisherName: 'Bench', publisherEmail: 'bench@example.com',
});
new SecureEdge(platform, 'Edge', {
  ...placement,
  name: 'agw-bench',
  subnet: network.edgeSubnet,
  backend: api,
  keyVaultId: vault.keyVaultId,
  listeners: [{ id: 'public', hostNames: ['api.bench.example'], certificateSecretId: vault.secretId('edge-tls') }],
});

const workloads = new TerraformStack(app, 'services');
new AzurermProvider(workloads, 'azurerm', { features: [{}] });
const mesh = cluster.connect(workloads, 'Mesh');
let previous: MeshService | undefined;
for (let i = 0; i < count; i++) {
  const service = new MeshService(workloads, `Service${i}`, { mesh, name: `svc-${i}`, image: `example.azurecr.io/svc:1.0.${i}` });
  if (i % 2 === 0) {
    service.exposeViaGateway();
    api.addApi(`Svc${i}`, {
      path: `svc-${i}`,
      backend: service,
      operations: [{ operationId: 'list', method: HttpMethod.GET, urlTemplate: '/items' }],
    });
  }
  if (previous) service.allowFrom(previous);
  previous = service;
}
GatewayMeshChecks.applyTo(app);
app.synth();
